import { describe, expect, it } from 'vitest';
import { createLogGenerator, type AnomalyMix } from '../../../../functions/producer/generator/index.js';
import { ANOMALY_KINDS } from '../../../../functions/shared/log/index.js';
import { DAY_START_MS } from './generated-stream.js';

const RECORDS = 100_000;

function achievedRate(anomalyRate: number, seed: number, anomalyMix?: AnomalyMix): number {
  const generator = createLogGenerator(anomalyMix === undefined ? { anomalyRate, seed } : { anomalyRate, seed, anomalyMix });
  let anomalies = 0;
  for (let i = 0; i < RECORDS; i++) {
    if (generator.next(DAY_START_MS + i * 100).label !== 'none') anomalies += 1;
  }
  return anomalies / RECORDS;
}

/**
 * Four standard deviations of the achieved share over RECORDS records. Error spikes emit ~10
 * records per event, which inflates the variance about tenfold over independent draws.
 */
function tolerance(rate: number, varianceInflation: number): number {
  return 4 * Math.sqrt((varianceInflation * rate * (1 - rate)) / RECORDS);
}

describe('anomaly rate over 100,000 records (counted)', () => {
  it.each([0.01, 0.05, 0.2, 0.5])('with all five kinds, achieves %d within tolerance', (rate) => {
    // Act
    const achieved = achievedRate(rate, 1234);

    // Assess
    expect(Math.abs(achieved - rate)).toBeLessThanOrEqual(tolerance(rate, 10));
  });

  it('without error spikes, achieves 0.05 within the binomial tolerance', () => {
    // Prepare
    const mix = Object.fromEntries(ANOMALY_KINDS.filter((kind) => kind !== 'error_spike').map((kind) => [kind, 1]));

    // Act
    const achieved = achievedRate(0.05, 99, mix);

    // Assess
    expect(Math.abs(achieved - 0.05)).toBeLessThanOrEqual(tolerance(0.05, 1));
  });

  it('labels nothing at rate 0 and everything at rate 1', () => {
    // Prepare
    const none = createLogGenerator({ anomalyRate: 0, seed: 1 });
    const all = createLogGenerator({ anomalyRate: 1, seed: 1 });

    // Act
    const noneLabels = new Set(Array.from({ length: 10_000 }, (_, i) => none.next(DAY_START_MS + i).label));
    const allLabels = new Set(Array.from({ length: 10_000 }, (_, i) => all.next(DAY_START_MS + i).label));

    // Assess
    expect([...noneLabels]).toEqual(['none']);
    expect(allLabels.has('none')).toBe(false);
    expect(allLabels.size).toBe(ANOMALY_KINDS.length);
  });
});
