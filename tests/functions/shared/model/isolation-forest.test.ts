import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../functions/shared/errors.js';
import { averagePathLength } from '../../../../functions/shared/model/forest/path-length.js';
import { defaultForestOptions, IsolationForest } from '../../../../functions/shared/model/isolation-forest.js';
import { gaussianRows, rowOf, uniformRows } from './forest-fixtures.js';

const DIMS = 4;
const cluster = gaussianRows(1000, DIMS, 11);
const forest = IsolationForest.fit(cluster, 1000, DIMS, { trees: 100, sampleSize: 256, seed: 7 });

describe('IsolationForest.fit', () => {
  it('uses the documented defaults (100 trees, ψ 256, seed 42)', () => {
    // Prepare
    const rows = gaussianRows(300, 3, 1);
    // Act
    const fitted = IsolationForest.fit(rows, 300, 3);
    // Assess
    expect(defaultForestOptions).toEqual({ trees: 100, sampleSize: 256, seed: 42 });
    expect(fitted.options).toEqual(defaultForestOptions);
    expect(fitted.toJSON().options).toEqual(defaultForestOptions);
    expect(fitted.sampleSize).toBe(256);
    expect(fitted.dims).toBe(3);
  });

  it('is deterministic: same rows, options and seed give the same forest; another seed does not', () => {
    // Prepare
    const options = { trees: 50, sampleSize: 128, seed: 1234 };
    // Act
    const first = IsolationForest.fit(cluster, 1000, DIMS, options);
    const second = IsolationForest.fit(cluster, 1000, DIMS, options);
    const reseeded = IsolationForest.fit(cluster, 1000, DIMS, { ...options, seed: 1235 });
    // Assess
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    expect(second.score(cluster, 1000)).toEqual(first.score(cluster, 1000));
    expect(JSON.stringify(reseeded)).not.toBe(JSON.stringify(first));
  });

  it('uses every row when there are fewer rows than sampleSize', () => {
    // Prepare
    const rows = gaussianRows(40, 2, 3);
    // Act
    const fitted = IsolationForest.fit(rows, 40, 2, { sampleSize: 256 });
    // Assess
    expect(fitted.sampleSize).toBe(40);
    expect(fitted.options.sampleSize).toBe(256);
    expect(fitted.toJSON().sampleSize).toBe(40);
  });

  it('makes every tree a single leaf when all rows are equal, so every row scores exactly 0.5', () => {
    // Prepare
    const rows = new Float64Array(50 * 3).fill(2.5);
    // Act
    const fitted = IsolationForest.fit(rows, 50, 3, { trees: 10 });
    // Assess
    expect(fitted.toJSON().nodes).toEqual(Array(10).fill(-50));
    expect(fitted.scoreOne([2.5, 2.5, 2.5])).toBeCloseTo(0.5, 14);
    expect(fitted.scoreOne([100, -100, 0])).toBe(fitted.scoreOne([2.5, 2.5, 2.5]));
  });
});

describe('IsolationForest.score', () => {
  it('scores far points higher than every inlier, within (0, 1]', () => {
    // Prepare
    const far = Float64Array.from([6, 6, 6, 6, -7, 5, -6, 8, 9, -9, 9, 0]);
    // Act
    const inlierScores = forest.score(cluster, 1000);
    const farScores = forest.score(far, 3);
    // Assess
    const maxInlier = Math.max(...inlierScores);
    for (const s of [...inlierScores, ...farScores]) expect(s > 0 && s <= 1).toBe(true);
    for (const s of farScores) expect(s).toBeGreaterThan(maxInlier);
    expect(Math.min(...farScores)).toBeGreaterThan(0.6);
  });

  it('ranks a point far out on a single feature above the median inlier (one feature is a weak signal in 4-D)', () => {
    // Prepare
    const sorted = Array.from(forest.score(cluster, 1000)).sort((a, b) => a - b);
    // Act
    const score = forest.scoreOne([0, 0, 0, 30]);
    // Assess
    expect(score).toBeGreaterThan(sorted[500] as number);
  });

  it('gives a point at the centre of the training mass a score below 0.5, and the inliers a mean near 0.5', () => {
    // Prepare
    const centre = [0, 0, 0, 0];
    // Act
    const centreScore = forest.scoreOne(centre);
    const scores = forest.score(cluster, 1000);
    // Assess
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    expect(centreScore).toBeLessThan(0.5);
    expect(centreScore).toBeLessThan(mean);
    expect(mean).toBeGreaterThan(0.35);
    expect(mean).toBeLessThan(0.5);
  });

  it('matches the definition s = 2^(−E[h]/c(ψ)) on a hand-checkable forest', () => {
    // Prepare: two rows, one tree: the root splits them, each leaf holds one row (h = 1 for every x).
    const tiny = IsolationForest.fit(Float64Array.from([0, 1]), 2, 1, { trees: 1 });
    // Act
    const score = tiny.scoreOne([0.3]);
    // Assess
    expect(averagePathLength(2)).toBe(1);
    expect(score).toBe(2 ** -1);
  });

  it('gives scoreOne the bit-identical value score gives the same row, whatever the batch', () => {
    // Prepare
    const batch = cluster.subarray(0, 37 * DIMS);
    // Act
    const batchScores = forest.score(batch, 37);
    const single = Array.from({ length: 37 }, (_, r) => forest.scoreOne(rowOf(batch, DIMS, r)));
    // Assess
    expect(single).toEqual(Array.from(batchScores));
  });

  it('writes into a caller-provided buffer without allocating a new one', () => {
    // Prepare
    const exact = new Float64Array(10);
    const larger = new Float64Array(16).fill(-1);
    // Act
    const intoExact = forest.score(cluster.subarray(0, 10 * DIMS), 10, exact);
    const intoLarger = forest.score(cluster.subarray(0, 10 * DIMS), 10, larger);
    // Assess
    expect(intoExact).toBe(exact);
    expect(intoLarger.buffer).toBe(larger.buffer);
    expect(Array.from(intoLarger)).toEqual(Array.from(exact));
    expect(larger[10]).toBe(-1);
    expect(forest.score(new Float64Array(0), 0)).toHaveLength(0);
  });
});

describe('IsolationForest.explain', () => {
  it('credits the feature that makes an outlier an outlier', () => {
    // Prepare: an inlier on every feature but feature 2.
    const outlier = [0.1, -0.2, 9, 0.3];
    // Act
    const contribution = forest.explain(outlier);
    // Assess
    expect(contribution).toHaveLength(DIMS);
    expect(Array.from(contribution).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    for (const c of contribution) expect(c).toBeGreaterThanOrEqual(0);
    expect(contribution[2]).toBeGreaterThan(0.5);
    expect(Math.max(...contribution)).toBe(contribution[2]);
  });

  it('splits the credit between the two features of a two-feature outlier', () => {
    // Prepare
    const outlier = [-8, 0, 0, 8];
    // Act
    const contribution = forest.explain(outlier);
    // Assess
    expect((contribution[0] as number) + (contribution[3] as number)).toBeGreaterThan(0.8);
    expect(contribution[0]).toBeGreaterThan(0.25);
    expect(contribution[3]).toBeGreaterThan(0.25);
  });

  it('returns all zeros when no tree isolates the row faster than average', () => {
    // Prepare: identical training rows make every tree a leaf of size ψ (h = c(ψ) exactly).
    const flat = IsolationForest.fit(new Float64Array(20).fill(1), 10, 2, { trees: 5 });
    // Act
    const contribution = flat.explain([5, -5]);
    // Assess
    expect(Array.from(contribution)).toEqual([0, 0]);
  });
});

describe('IsolationForest serialization', () => {
  it('round-trips through JSON text and scores bit-identically', () => {
    // Prepare
    const text = JSON.stringify(forest);
    // Act
    const restored = IsolationForest.fromJSON(JSON.parse(text));
    // Assess
    expect(restored.dims).toBe(DIMS);
    expect(restored.options).toEqual(forest.options);
    expect(JSON.stringify(restored)).toBe(text);
    expect(restored.score(cluster, 1000)).toEqual(forest.score(cluster, 1000));
    expect(restored.explain([0, 0, 9, 0])).toEqual(forest.explain([0, 0, 9, 0]));
  });

  it('keeps an artifact of 100 trees × 256 samples × 8 dims under 1 MB even on bushy (uniform) data', () => {
    // Prepare
    const rows = uniformRows(5000, 8, 5);
    // Act
    const text = JSON.stringify(IsolationForest.fit(rows, 5000, 8, { trees: 100, sampleSize: 256 }));
    // Assess
    expect(Buffer.byteLength(text)).toBeLessThan(1_000_000);
    expect(Buffer.byteLength(text)).toBeLessThan(400_000);
  });
});

describe('IsolationForest engines', () => {
  it('scores with WebAssembly here, bit-identical to the TypeScript fallback for any batch shape', () => {
    // Prepare
    const shapes = [
      { dims: 1, rows: 5000 },
      { dims: 3, rows: 9 },
      { dims: 8, rows: 1031 },
      { dims: 13, rows: 700 },
    ];
    for (const { dims, rows } of shapes) {
      const data = uniformRows(rows, dims, dims);
      const fitted = IsolationForest.fit(data, rows, dims, { trees: 30, sampleSize: 64, seed: dims });
      const fallback = fitted.withEngine('reference');
      for (const count of [0, 1, 7, 8, 9, rows]) {
        // Act
        const fast = fitted.score(data.subarray(0, count * dims), count);
        const slow = fallback.score(data.subarray(0, count * dims), count);
        // Assess
        expect(fitted.engine).toBe('wasm');
        expect(fallback.engine).toBe('reference');
        expect(fast).toEqual(slow);
      }
    }
  });
});

describe('IsolationForest input validation', () => {
  const rows = gaussianRows(10, 2, 1);
  const badFits: Array<[string, () => unknown, RegExp]> = [
    ['rowCount 0', () => IsolationForest.fit(new Float64Array(0), 0, 2), /rowCount must be an integer in \[2,/],
    ['a single row', () => IsolationForest.fit(Float64Array.from([1, 2]), 1, 2), /rowCount/],
    ['dims 0', () => IsolationForest.fit(rows, 10, 0), /dims must be an integer in \[1, 4096\]/],
    ['fractional rowCount', () => IsolationForest.fit(rows, 9.5, 2), /rowCount/],
    ['too few values', () => IsolationForest.fit(rows.subarray(1), 10, 2), /19 values, expected rowCount × dims = 10 × 2 = 20/],
    ['too many values', () => IsolationForest.fit(rows, 9, 2), /20 values, expected/],
    ['a plain array', () => IsolationForest.fit(Array.from(rows) as unknown as Float64Array, 10, 2), /must be a Float64Array/],
    ['NaN', () => IsolationForest.fit(withValue(rows, 5, Number.NaN), 10, 2), /row 2, feature 1 is NaN/],
    ['Infinity', () => IsolationForest.fit(withValue(rows, 0, Infinity), 10, 2), /row 0, feature 0 is Infinity/],
    ['-Infinity', () => IsolationForest.fit(withValue(rows, 19, -Infinity), 10, 2), /-Infinity/],
    ['trees 0', () => IsolationForest.fit(rows, 10, 2, { trees: 0 }), /trees must be an integer in \[1, 10000\], got 0/],
    ['trees 10,001', () => IsolationForest.fit(rows, 10, 2, { trees: 10_001 }), /trees must be/],
    ['trees 2.5', () => IsolationForest.fit(rows, 10, 2, { trees: 2.5 }), /trees must be/],
    ['sampleSize 1', () => IsolationForest.fit(rows, 10, 2, { sampleSize: 1 }), /sampleSize must be an integer in \[2, 1000000\]/],
    ['sampleSize 1,000,001', () => IsolationForest.fit(rows, 10, 2, { sampleSize: 1_000_001 }), /sampleSize/],
    ['seed NaN', () => IsolationForest.fit(rows, 10, 2, { seed: Number.NaN }), /seed must be an integer/],
    ['a string option', () => IsolationForest.fit(rows, 10, 2, { trees: '10' as unknown as number }), /trees must be .*got "10"/],
    ['an unknown option', () => IsolationForest.fit(rows, 10, 2, { tree: 5 } as unknown as { trees: number }), /unknown forest option "tree"/],
  ];
  it.each(badFits)('fit rejects %s with a ValidationError', (_name, act, message) => {
    // Prepare (table above) / Act / Assess
    expect(act).toThrow(ValidationError);
    expect(act).toThrow(message);
  });

  const badScores: Array<[string, () => unknown, RegExp]> = [
    ['a wrong-length array', () => forest.score(cluster.subarray(0, 10), 3), /10 values, expected rowCount × dims = 3 × 4 = 12/],
    ['a negative rowCount', () => forest.score(cluster, -1), /rowCount must be an integer/],
    ['a NaN value', () => forest.score(withValue(cluster.slice(0, 8), 6, Number.NaN), 2), /row 1, feature 2 is NaN/],
    ['a short out buffer', () => forest.score(cluster.subarray(0, 8), 2, new Float64Array(1)), /out must be a Float64Array of at least 2/],
    ['a plain-array row for scoreOne', () => forest.scoreOne([1, 2, 3]), /row has 3 values, expected dims = 4/],
    ['a NaN for scoreOne', () => forest.scoreOne([1, Number.NaN, 3, 4]), /feature 1 is NaN/],
    ['a string for scoreOne', () => forest.scoreOne(['1', 2, 3, 4] as unknown as number[]), /feature 0 is not a number/],
    ['null for explain', () => forest.explain(null as unknown as number[]), /row must be an array of 4 numbers/],
    ['Infinity for explain', () => forest.explain([0, 0, Infinity, 0]), /feature 2 is Infinity/],
  ];
  it.each(badScores)('score/scoreOne/explain reject %s with a ValidationError', (_name, act, message) => {
    // Prepare (table above) / Act / Assess
    expect(act).toThrow(ValidationError);
    expect(act).toThrow(message);
  });
});

function withValue(rows: Float64Array, index: number, value: number): Float64Array {
  const copy = rows.slice();
  copy[index] = value;
  return copy;
}
