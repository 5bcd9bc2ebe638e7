import { describe, expect, it } from 'vitest';
import { averagePrecision, detectionMetrics } from '../../../infra/evaluate/detection-metrics.js';
import { parseLabels } from '../../../infra/evaluate/labels.js';

describe('detection metrics', () => {
  it('counts precision, recall, F1 and per-kind recall from flags and labels', () => {
    // Prepare
    const labels = parseLabels('none\nerror_spike\nerror_spike\ntemporal\n0\n');
    const scores = Float64Array.from([0.1, 0.9, 0.4, 0.8, 0.7]);
    const flags = Uint8Array.from([0, 1, 0, 1, 1]);

    // Act
    const metrics = detectionMetrics(scores, flags, labels);

    // Assess
    expect(metrics).toMatchObject({ n: 5, anomalies: 3, flagged: 3, precision: 2 / 3, recall: 2 / 3, flaggedRate: 0.6, recallByKind: { error_spike: 0.5, temporal: 1 } });
    expect(metrics.f1).toBeCloseTo(2 / 3, 10);
  });

  it('average precision is 1 for a perfect ranking and lower for a worse one', () => {
    expect(averagePrecision(Float64Array.from([0.9, 0.8, 0.1]), [true, true, false])).toBe(1);
    expect(averagePrecision(Float64Array.from([0.9, 0.8, 0.1]), [false, true, true])).toBeCloseTo((1 / 2 + 2 / 3) / 2, 10);
  });

  it('reports zeros instead of NaN when nothing is flagged or nothing is anomalous', () => {
    const metrics = detectionMetrics(Float64Array.from([0.2, 0.3]), Uint8Array.from([0, 0]), parseLabels('0\n0\n'));
    expect(metrics).toMatchObject({ precision: 0, recall: 0, f1: 0, prAuc: 0, flaggedRate: 0 });
  });
});
