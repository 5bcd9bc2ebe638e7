import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../functions/shared/errors.js';
import { ScoreWindow, defaultShiftPolicy, detectScoreShift } from '../../../../functions/shared/model/score-shift.js';
import { describeScores, quantileOfSorted } from '../../../../functions/shared/model/score-statistics.js';

const baseline = {
  threshold: 0.6,
  contamination: 0.1,
  scoreStats: { count: 1000, mean: 0.45, std: 0.05, min: 0.35, p50: 0.44, p90: 0.52, p99: 0.6, max: 0.7 },
};

function windowOf(scores: number[], capacity = scores.length): ScoreWindow {
  const window = new ScoreWindow(capacity, baseline.threshold);
  for (const score of scores) window.push(score);
  return window;
}

describe('score statistics', () => {
  it('interpolates quantiles linearly between ranks (type 7)', () => {
    // Prepare
    const sorted = [1, 2, 3, 4];
    // Act / Assess
    expect(quantileOfSorted(sorted, 0)).toBe(1);
    expect(quantileOfSorted(sorted, 1)).toBe(4);
    expect(quantileOfSorted(sorted, 0.5)).toBe(2.5);
    expect(quantileOfSorted(sorted, 0.9)).toBeCloseTo(3.7, 12);
  });

  it('refuses an empty list and a quantile outside [0, 1]', () => {
    expect(() => quantileOfSorted([], 0.5)).toThrow(ValidationError);
    expect(() => quantileOfSorted([1], 1.5)).toThrow(ValidationError);
    expect(() => quantileOfSorted([1], Number.NaN)).toThrow(ValidationError);
    expect(() => describeScores([])).toThrow(ValidationError);
  });

  it('describes unsorted scores with a population standard deviation', () => {
    // Prepare
    const scores = [0.5, 0.3, 0.7, 0.5];
    // Act
    const stats = describeScores(scores);
    // Assess
    expect(stats).toMatchObject({ count: 4, min: 0.3, max: 0.7, p50: 0.5 });
    expect(stats.mean).toBeCloseTo(0.5, 12);
    expect(stats.std).toBeCloseTo(Math.sqrt(0.02), 12);
  });
});

describe('ScoreWindow', () => {
  it('keeps the running mean and flagged share of only the last `capacity` scores', () => {
    // Prepare
    const window = windowOf([0.9, 0.9, 0.4, 0.4, 0.5], 4);
    // Act / Assess: the first 0.9 has been pushed out.
    expect(window.size).toBe(4);
    expect(window.full).toBe(true);
    expect(window.mean()).toBeCloseTo((0.9 + 0.4 + 0.4 + 0.5) / 4, 12);
    expect(window.flaggedShare()).toBe(0.25);
  });

  it('with capacity 0 keeps nothing and is never full', () => {
    const window = windowOf([0.9, 0.9], 0);
    expect(window.size).toBe(0);
    expect(window.full).toBe(false);
  });
});

describe('detectScoreShift', () => {
  it('says nothing until the window is full', () => {
    // Prepare: every score flagged, but only 3 of 10.
    const window = new ScoreWindow(10, baseline.threshold);
    for (let i = 0; i < 3; i++) window.push(0.95);
    // Act / Assess
    expect(detectScoreShift(window, baseline, defaultShiftPolicy)).toEqual({ shifted: false });
  });

  it('stays quiet on scores like the training ones', () => {
    // Prepare: mean 0.46, 10% flagged (= contamination).
    const scores = Array.from({ length: 100 }, (_, i) => (i % 10 === 0 ? 0.65 : 0.44));
    // Act
    const verdict = detectScoreShift(windowOf(scores), baseline, defaultShiftPolicy);
    // Assess
    expect(verdict.shifted).toBe(false);
  });

  it('fires when the flagged share exceeds flaggedRatio × contamination', () => {
    // Prepare: 40% flagged > 3 × 10%, mean barely moved is not required.
    const scores = Array.from({ length: 100 }, (_, i) => (i % 5 < 2 ? 0.61 : 0.4));
    // Act
    const verdict = detectScoreShift(windowOf(scores), baseline, defaultShiftPolicy);
    // Assess
    expect(verdict.shifted).toBe(true);
    expect(verdict.shifted && verdict.reason).toMatch(/flagged share 0\.4000 .* exceeds 3 × contamination 0\.1/);
  });

  it('fires when the mean moves by more than meanShiftStds training standard deviations', () => {
    // Prepare: nothing flagged, mean 0.55 = 2 std above 0.45.
    const scores = Array.from({ length: 100 }, () => 0.55);
    // Act
    const verdict = detectScoreShift(windowOf(scores), baseline, defaultShiftPolicy);
    const lenient = detectScoreShift(windowOf(scores), baseline, { ...defaultShiftPolicy, meanShiftStds: 3 });
    // Assess
    expect(verdict.shifted && verdict.reason).toMatch(/mean score 0\.5500 .* from the training mean 0\.4500/);
    expect(lenient.shifted).toBe(false);
  });
});
