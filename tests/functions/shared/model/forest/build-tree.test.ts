import { describe, expect, it } from 'vitest';
import { pickThreshold } from '../../../../../functions/shared/model/forest/build-tree.js';

describe('pickThreshold', () => {
  it('stays in (low, high] so both children of a split are non-empty', () => {
    // Prepare
    const cases: Array<[number, number, number]> = [
      [1, 2, 0], // u = 0 would give p = low
      [1, 2, 0.5],
      [1, 2, 1 - 2 ** -53],
      [-1e308, 1e308, 0.25], // high − low overflows to Infinity
      [1, 1 + 2 ** -52, 0.5], // adjacent doubles: nothing strictly between them
    ];
    // Act
    const thresholds = cases.map(([low, high, u]) => pickThreshold(low, high, u));
    // Assess
    cases.forEach(([low, high], i) => {
      const p = thresholds[i] as number;
      expect(Number.isFinite(p)).toBe(true);
      expect(p > low && p <= high).toBe(true);
    });
    expect(thresholds[1]).toBe(1.5);
    expect(thresholds[3]).toBeCloseTo(-0.5e308, -300);
  });
});
