import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../../../functions/shared/model/forest/prng.js';

const draw = (seed: number, n: number): number[] => {
  const random = new SeededRandom(seed);
  return Array.from({ length: n }, () => random.nextUint32());
};

describe('SeededRandom', () => {
  it('repeats its sequence for a seed and differs across seeds, including seeds beyond 32 bits', () => {
    // Prepare / Act
    const a = draw(42, 100);
    const b = draw(42, 100);
    // Assess
    expect(b).toEqual(a);
    expect(draw(43, 100)).not.toEqual(a);
    expect(draw(1 + 2 ** 32, 10)).not.toEqual(draw(1, 10));
    expect(draw(-1, 10)).not.toEqual(draw(1, 10));
    expect(a.every((v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32)).toBe(true);
  });

  it('draws floats in [0, 1) and integers in [0, bound), spread evenly', () => {
    // Prepare
    const random = new SeededRandom(7);
    const counts = new Array<number>(10).fill(0);
    // Act
    let minFloat = 1;
    let maxFloat = 0;
    for (let i = 0; i < 100_000; i++) {
      const u = random.nextFloat();
      minFloat = Math.min(minFloat, u);
      maxFloat = Math.max(maxFloat, u);
      counts[random.nextInt(10)]! += 1;
    }
    // Assess: χ² with 9 degrees of freedom; 27.9 is its 0.999 quantile.
    const chiSquare = counts.reduce((sum, c) => sum + (c - 10_000) ** 2 / 10_000, 0);
    expect(minFloat).toBeGreaterThanOrEqual(0);
    expect(maxFloat).toBeLessThan(1);
    expect(maxFloat - minFloat).toBeGreaterThan(0.999);
    expect(chiSquare).toBeLessThan(27.9);
  });
});
