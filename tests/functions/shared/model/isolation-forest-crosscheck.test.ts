import { describe, expect, it } from 'vitest';
import { IsolationForest } from '../../../../functions/shared/model/isolation-forest.js';
import { makeMixedDataset } from '../../../../infra/bench/model/dataset.js';
import { fitMlIsolationForest, toNestedRows } from '../../../../infra/bench/model/ml-isolation-forest-adapter.js';
import { ranks, spearman, topKOverlap } from '../../../../infra/bench/model/rank-correlation.js';

describe('cross-check against ml-isolation-forest (npm)', () => {
  it('ranks a mixed dataset alike: Spearman ρ > 0.9 and the same top outliers', () => {
    // Prepare: both fit 500 trees on the same 256 rows (ml-isolation-forest has no sub-sampling, and
    // ours uses every row when rowCount = ψ), so they differ only in their random splits.
    const data = makeMixedDataset(2000, 8, 0.02, 21);
    const training = data.rows.subarray(0, 256 * 8);
    const ours = IsolationForest.fit(training, 256, 8, { trees: 500, sampleSize: 256, seed: 3 });
    const theirs = fitMlIsolationForest(training, 256, 8, 500, 3);
    const outliers = data.isOutlier.reduce((a, b) => a + b, 0);
    // Act
    const ourScores = ours.score(data.rows, 2000);
    const theirScores = theirs.predict(toNestedRows(data.rows, 2000, 8));
    // Assess
    expect(outliers).toBeGreaterThan(20);
    expect(spearman(ourScores, theirScores)).toBeGreaterThan(0.9);
    expect(topKOverlap(ourScores, theirScores, outliers)).toBeGreaterThan(0.8);
    const ourTop = topKOverlap(ourScores, data.isOutlier, outliers);
    expect(ourTop).toBeGreaterThan(0.8); // most injected outliers are among our top scores
  });
});

describe('rank helpers', () => {
  it('average tied ranks and give ρ = ±1 for monotone relations', () => {
    // Prepare
    const values = [10, 20, 20, 5];
    // Act
    const r = Array.from(ranks(values));
    // Assess
    expect(r).toEqual([2, 3.5, 3.5, 1]);
    expect(spearman([1, 2, 3, 4], [1, 4, 9, 16])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
    expect(topKOverlap([1, 9, 8, 0], [0, 5, 1, 7], 2)).toBe(0.5);
  });
});
