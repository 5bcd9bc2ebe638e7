import { describe, expect, it } from 'vitest';
import { RarityTail } from '../../../../functions/shared/features/full/rarity-tail.js';

/** A tail fed `items` in order (each string one observation), with the counts it saw. */
function fed(items: readonly string[]): { tail: RarityTail; counts: Map<string, number> } {
  const tail = new RarityTail();
  const counts = new Map<string, number>();
  for (const item of items) {
    const before = counts.get(item) ?? 0;
    tail.moved(before);
    counts.set(item, before + 1);
  }
  return { tail, counts };
}

describe('RarityTail (Good–Turing surprise)', () => {
  it('finds a new item far more surprising in a settled stream than in one that keeps producing new items', () => {
    // Prepare: 1,000 observations of 5 items, against 1,000 where every 10th is a first sighting
    const settled = fed(Array.from({ length: 1000 }, (_, i) => `t${i % 5}`)).tail;
    const noisy = fed(Array.from({ length: 1000 }, (_, i) => (i % 10 === 0 ? `new${i}` : `t${i % 5}`))).tail;

    // Act
    const inSettled = settled.surprise(0);
    const inNoisy = noisy.surprise(0);

    // Assess: 1 in 1,002 against 101 in 1,002 (100 singletons + 1)
    expect(inSettled).toBeCloseTo(Math.log10(1002), 6);
    expect(inNoisy).toBeCloseTo(-Math.log10(101 / 1002), 6);
    expect(inSettled - inNoisy).toBeGreaterThan(1.9);
  });

  it('measures a known item by its share, never as more surprising than a new one', () => {
    // Prepare
    const { tail } = fed([...Array.from({ length: 998 }, (_, i) => `t${i % 2}`), 'once', 'other-once']);

    // Act / Assess: two singletons, so a new item has chance 3/1002; an item seen once is no rarer
    expect(tail.surprise(0)).toBeCloseTo(-Math.log10(3 / 1002), 6);
    expect(tail.surprise(1)).toBeCloseTo(tail.surprise(0), 6);
    expect(tail.surprise(499)).toBeCloseTo(-Math.log10(499 / 1002), 6);
    expect(tail.surprise(2000)).toBe(0);
  });

  it('measures an observation already counted (a redelivery) as it was before it was counted', () => {
    // Prepare
    const items = Array.from({ length: 300 }, (_, i) => (i % 7 === 0 ? `rare${i}` : `t${i % 3}`));
    const before = fed(items);
    const after = fed([...items, 't1']);
    const afterNew = fed([...items, 'brand-new']);

    // Act / Assess
    expect(after.tail.surprise(after.counts.get('t1') as number, true)).toBeCloseTo(before.tail.surprise(before.counts.get('t1') as number), 9);
    expect(afterNew.tail.surprise(1, true)).toBeCloseTo(before.tail.surprise(0), 9);
  });

  it('rebuilds from counts exactly as it grew observation by observation', () => {
    // Prepare
    const { tail, counts } = fed(Array.from({ length: 500 }, (_, i) => (i % 9 === 0 ? `x${i}` : `t${i % 4}`)));

    // Act
    const rebuilt = RarityTail.of(counts.values(), tail.observations);

    // Assess
    expect(rebuilt.singletons).toBe(tail.singletons);
    expect(rebuilt.observations).toBe(500);
    expect(rebuilt.surprise(0)).toBe(tail.surprise(0));
  });
});
