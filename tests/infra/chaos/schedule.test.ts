import { describe, expect, it } from 'vitest';
import { faultKinds, faultWindow, maxFaultsFor, planFaults } from '../../../infra/chaos/schedule.js';

const threeMinutesMs = 180_000;

describe('chaos fault schedule', () => {
  it('is the same plan for the same seed, and another one for another seed', () => {
    // Act
    const first = planFaults(42, threeMinutesMs, 12);
    const again = planFaults(42, threeMinutesMs, 12);
    const other = planFaults(43, threeMinutesMs, 12);

    // Assess
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it('spreads the faults over the window, in order, at least 1.5 s apart, each dead 0.5–3 s', () => {
    // Prepare
    const { fromMs, toMs } = faultWindow(threeMinutesMs);

    for (const seed of [0, 1, 7, 99, 4_294_967_295]) {
      // Act
      const plan = planFaults(seed, threeMinutesMs, 12);

      // Assess
      expect(plan.map((fault) => fault.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      expect(plan[0]!.atMs).toBeGreaterThanOrEqual(fromMs);
      expect(plan.at(-1)!.atMs).toBeLessThan(toMs);
      for (let i = 1; i < plan.length; i++) expect(plan[i]!.atMs - plan[i - 1]!.atMs).toBeGreaterThanOrEqual(1_500);
      // 12 faults in a 144 s window: the last falls in the last 12 s slot, the first in the first.
      expect(plan[0]!.atMs).toBeLessThan(fromMs + 12_000);
      expect(plan.at(-1)!.atMs).toBeGreaterThanOrEqual(toMs - 12_000);
      for (const fault of plan) {
        expect(fault.downMs).toBeGreaterThanOrEqual(500);
        expect(fault.downMs).toBeLessThanOrEqual(3_000);
      }
    }
  });

  it('balances the kinds: counts differ by at most one, and 3 faults are one of each', () => {
    for (const seed of [0, 1, 2, 3, 4, 5]) {
      // Act
      const counts = (count: number) => faultKinds.map((kind) => planFaults(seed, threeMinutesMs, count).filter((fault) => fault.kind === kind).length);

      // Assess
      expect(counts(3)).toEqual([1, 1, 1]);
      expect(counts(12)).toEqual([4, 4, 4]);
      const four = counts(4);
      expect(four.reduce((a, b) => a + b)).toBe(4);
      expect(Math.max(...four) - Math.min(...four)).toBe(1);
    }
  });

  it('plans nothing for 0 faults and refuses more than fit', () => {
    expect(planFaults(1, threeMinutesMs, 0)).toEqual([]);
    expect(maxFaultsFor(3)).toBe(48);
    expect(() => planFaults(1, threeMinutesMs, 49)).toThrow('49 faults do not fit');
    expect(() => planFaults(1, threeMinutesMs, -1)).toThrow('whole number');
  });

  it('keeps the first and last tenth of production (at least 2 s) free of faults', () => {
    expect(faultWindow(threeMinutesMs)).toEqual({ fromMs: 18_000, toMs: 162_000 });
    expect(faultWindow(15_000)).toEqual({ fromMs: 2_000, toMs: 13_000 });
  });
});
