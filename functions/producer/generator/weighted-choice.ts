import type { Prng } from './prng.js';

/**
 * Picks items with probability proportional to their weights, in O(log n) per pick. Weights must
 * be finite and > 0 (the config validation guarantees it).
 */
export class WeightedChoice<T> {
  private readonly items: readonly T[];
  /** cumulative[i] = weights[0] + … + weights[i]. */
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(entries: ReadonlyArray<{ item: T; weight: number }>) {
    if (entries.length === 0) throw new Error('WeightedChoice needs at least one entry');
    this.items = entries.map((entry) => entry.item);
    this.cumulative = new Float64Array(entries.length);
    let sum = 0;
    entries.forEach((entry, index) => {
      sum += entry.weight;
      this.cumulative[index] = sum;
    });
    this.total = sum;
  }

  get size(): number {
    return this.items.length;
  }

  all(): readonly T[] {
    return this.items;
  }

  pick(rng: Prng): T {
    const target = rng.next() * this.total;
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.cumulative[middle] as number) > target) high = middle;
      else low = middle + 1;
    }
    return this.items[low] as T;
  }
}
