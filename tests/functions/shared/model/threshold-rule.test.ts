import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../functions/shared/errors.js';
import { thresholdFor, widestUpperGap, type ThresholdRule } from '../../../../functions/shared/model/threshold-rule.js';
import { seededRandom } from './log-fixtures.js';

const sorted = (values: number[]) => Float64Array.from(values).sort();

describe('thresholdFor', () => {
  it('contamination: flags that share of the training scores whatever they are', () => {
    // Prepare
    const random = seededRandom(3);
    const scores = sorted(Array.from({ length: 1000 }, () => 0.4 + 0.05 * random()));

    // Act
    const threshold = thresholdFor(scores, 'contamination', 0.1);

    // Assess
    expect(scores.filter((score) => score > threshold).length).toBe(100);
  });

  it('gap: sits in the gap between the ordinary mass and separated scores', () => {
    // Prepare: 960 ordinary scores near 0.35, 40 separated ones from 0.6
    const random = seededRandom(4);
    const scores = sorted([...Array.from({ length: 960 }, () => 0.34 + 0.02 * random()), ...Array.from({ length: 40 }, () => 0.6 + 0.2 * random())]);

    // Act
    const threshold = thresholdFor(scores, 'gap', 0.1);

    // Assess
    expect(threshold).toBeGreaterThan(0.36);
    expect(threshold).toBeLessThan(0.6);
    expect(scores.filter((score) => score > threshold).length).toBe(40);
  });

  it('gap: stays quiet on scores with no separated tail (flags far less than contamination would)', () => {
    // Prepare: one smooth unimodal distribution
    const random = seededRandom(5);
    const scores = sorted(Array.from({ length: 2000 }, () => 0.45 + 0.03 * (random() + random() + random() - 1.5)));

    // Act
    const gap = thresholdFor(scores, 'gap', 0.1);
    const contamination = thresholdFor(scores, 'contamination', 0.1);

    // Assess
    const flaggedShare = scores.filter((score) => score > gap).length / scores.length;
    expect(flaggedShare).toBeLessThan(0.03);
    expect(gap).toBeGreaterThan(contamination);
  });

  it('gap: never leaves more than a quarter of the scores above it, even when the widest gap is low', () => {
    // Prepare: half at 0.2, half spread from 0.5 to 0.6
    const scores = sorted([...new Array(500).fill(0.2), ...Array.from({ length: 500 }, (_, i) => 0.5 + i * 0.0002)]);

    // Act
    const threshold = widestUpperGap(scores);

    // Assess
    expect(scores.filter((score) => score > threshold).length).toBeLessThanOrEqual(250);
  });

  it('anchor: the least isolated threshold anchor, so a record as unusual as any of them is flagged', () => {
    // Prepare: ordinary training scores far below the anchors
    const random = seededRandom(6);
    const scores = sorted(Array.from({ length: 1000 }, () => 0.3 + 0.02 * random()));
    const anchors = Float64Array.from([0.62, 0.55, 0.71, 0.58]);

    // Act
    const threshold = thresholdFor(scores, 'anchor', 0.1, anchors);

    // Assess
    expect(threshold).toBe(0.55);
  });

  it('anchor: assumes no share of anomalies, so a window that was mostly an incident does not lift the threshold', () => {
    // Prepare: 700 ordinary rows and a cluster of 300 alike rows (an incident in the training window) above the lowest anchor
    const scores = sorted([...new Array(700).fill(0.3), ...new Array(300).fill(0.45)]);
    const anchors = Float64Array.from([0.44, 0.6]);

    // Act: whatever contamination says
    const thresholds = [0.01, 0.1, 0.5].map((contamination) => thresholdFor(scores, 'anchor', contamination, anchors));

    // Assess: the lowest anchor, each time (the notable-surprise guard in scoring bounds what it flags)
    expect(thresholds).toEqual([0.44, 0.44, 0.44]);
  });

  it('anchor without anchor scores falls back to the gap rule', () => {
    const scores = sorted([...new Array(960).fill(0.35), ...new Array(40).fill(0.7)]);
    expect(thresholdFor(scores, 'anchor', 0.1, null)).toBe(widestUpperGap(scores));
  });

  it('refuses no scores and an unknown rule', () => {
    expect(() => thresholdFor(new Float64Array(0), 'gap', 0.1)).toThrow(ValidationError);
    expect(() => thresholdFor(sorted([0.1, 0.2]), 'median' as ThresholdRule, 0.1)).toThrow(/unknown threshold rule/);
  });
});
