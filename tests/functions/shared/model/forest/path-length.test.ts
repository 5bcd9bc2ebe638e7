import { describe, expect, it } from 'vitest';
import { averagePathLength, EULER_GAMMA, heightLimit } from '../../../../../functions/shared/model/forest/path-length.js';

describe('averagePathLength c(n)', () => {
  it('is 0 for n ≤ 1 and 1 for n = 2', () => {
    // Prepare / Act
    const values = [averagePathLength(0), averagePathLength(1), averagePathLength(2)];
    // Assess
    expect(values).toEqual([0, 0, 1]);
  });

  it('is 2H(n−1) − 2(n−1)/n with H(i) ≈ ln i + γ beyond 2', () => {
    // Prepare
    const expected = (n: number): number => 2 * (Math.log(n - 1) + 0.5772156649) - (2 * (n - 1)) / n;
    // Act / Assess
    expect(EULER_GAMMA).toBe(0.5772156649);
    expect(averagePathLength(3)).toBeCloseTo(2 * (Math.log(2) + EULER_GAMMA) - 4 / 3, 15);
    expect(averagePathLength(256)).toBe(expected(256));
    expect(averagePathLength(256)).toBeCloseTo(10.2448, 4);
    expect(averagePathLength(1_000_000)).toBeCloseTo(26.7855, 3);
  });
});

describe('heightLimit', () => {
  it('is ⌈log₂ ψ⌉ exactly at and around powers of two', () => {
    // Prepare
    const sizes = [2, 3, 4, 255, 256, 257, 1_000_000];
    // Act
    const limits = sizes.map(heightLimit);
    // Assess
    expect(limits).toEqual([1, 2, 2, 8, 8, 9, 20]);
  });
});
