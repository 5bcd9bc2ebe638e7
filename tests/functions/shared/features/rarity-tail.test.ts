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

  it('measures a known item by the share of everything at most as common, never as more surprising than a new one', () => {
    // Prepare: 998 observations of two common items, then two items seen once
    const { tail } = fed([...Array.from({ length: 998 }, (_, i) => `t${i % 2}`), 'once', 'other-once']);

    // Act / Assess: a new item has chance 3/1002 (two singletons + 1); the items seen once or never
    // carry the share of those seen at most twice (Good–Turing), the same here; a common item
    // (≥ 1 %) is read from its share alone
    expect(tail.surprise(0)).toBeCloseTo(-Math.log10(3 / 1002), 6);
    expect(tail.surprise(1)).toBeCloseTo(-Math.log10(3 / 1002), 6);
    expect(tail.surprise(499)).toBeCloseTo(-Math.log10(499 / 1002), 6);
    expect(tail.surprise(2000)).toBe(0);
  });

  it('finds a rare item routine in a stream with a long tail of rare items, and surprising in a settled one', () => {
    // Prepare: both streams hold 1,000 observations and an item seen twice; one also holds 24 more such items
    const longTail = fed([...Array.from({ length: 950 }, (_, i) => `t${i % 3}`), ...Array.from({ length: 50 }, (_, i) => `rare${i % 25}`)]).tail;
    const settled = fed([...Array.from({ length: 998 }, (_, i) => `t${i % 3}`), 'rare', 'rare']).tail;

    // Act
    const inLongTail = longTail.surprise(2);
    const inSettled = settled.surprise(2);

    // Assess: 51 in 1,002 (25 items × 2, + 1) against 3 in 1,002
    expect(inLongTail).toBeCloseTo(-Math.log10(51 / 1002), 6);
    expect(inSettled).toBeCloseTo(-Math.log10(3 / 1002), 6);
  });

  it('never finds a commoner item more surprising than a rarer one, across the log-spaced bins', () => {
    // Prepare: 20,000 observations with counts from 1 to ~400 (well past the exact bins)
    const items = Array.from({ length: 20_000 }, (_, i) => `item${Math.floor(Math.sqrt(i * 7) % 199)}`);
    const { tail, counts } = fed([...items, ...Array.from({ length: 60 }, (_, i) => `solo${i}`)]);
    const largest = Math.max(...counts.values());

    // Act
    const surprises = Array.from({ length: largest + 1 }, (_, count) => tail.surprise(count));

    // Assess
    for (let count = 1; count <= largest; count++) expect(surprises[count]).toBeLessThanOrEqual(surprises[count - 1] as number);
    expect(surprises[0]).toBeGreaterThan(surprises[largest] as number);
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

  it('measures a redelivery of a rare item as before it was counted, within a bin and across a bin boundary', () => {
    // Prepare: 10,000 common observations, and rare items seen 64 (the last exact bin) and 70 times
    const common = Array.from({ length: 10_000 }, (_, i) => `t${i % 3}`);
    const rare = [...Array.from({ length: 64 }, () => 'edge'), ...Array.from({ length: 70 }, () => 'binned'), 'solo'];
    const before = fed([...common, ...rare]);

    for (const item of ['edge', 'binned', 'solo']) {
      // Act: the item's next sighting, counted, then measured as a redelivery
      const after = fed([...common, ...rare, item]);

      // Assess
      expect(after.tail.surprise(after.counts.get(item) as number, true)).toBeCloseTo(before.tail.surprise(before.counts.get(item) as number), 9);
    }
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
