/**
 * How surprising an item (a template, a service, a word) is in a stream that keeps producing items
 * nobody has seen before, measured against the stream itself rather than an assumed vocabulary:
 * −log10 of the item's chance to come next, in decades.
 *
 * - A new item's chance is Good–Turing's estimate of the unseen mass (Good 1953): the share of
 *   observations that were the first and so far only sighting of their item, plus one so that a
 *   stream without singletons still leaves room for a first sighting. A system that often logs new
 *   message shapes finds one more unremarkable; one whose templates settled long ago finds it very
 *   surprising.
 * - A known item's chance is its own share of the observations, but never below a new item's: a
 *   thing seen before is never more surprising than a thing never seen.
 * Both are ratios, so the value does not creep up as the stream grows.
 */
export class RarityTail {
  /** Items seen exactly once. */
  singletons = 0;
  /** Observations in all (tracked items and those past a caller's size limit). */
  observations = 0;

  /** A tail for items with these counts, after `observations` observations in all. */
  static of(counts: Iterable<number>, observations: number): RarityTail {
    const tail = new RarityTail();
    for (const count of counts) if (count === 1) tail.singletons += 1;
    tail.observations = observations;
    return tail;
  }

  /**
   * One more sighting of an item that had been seen `before` times (0: a new item), counted as an
   * observation unless `observe` is false (words: a record is one observation however many words
   * it holds, so the caller counts records).
   */
  moved(before: number, observe = true): void {
    if (observe) this.observations += 1;
    if (before === 0) this.singletons += 1;
    else if (before === 1) this.singletons -= 1;
  }

  /**
   * −log10 of the chance that the next observation is of an item seen `count` times so far (0: never),
   * in decades. With `counted`, the observation being measured is already in the counts (a
   * redelivered record): it is taken out first, so a redelivery measures what its first delivery did.
   * `extra`: singletons and observations learned elsewhere on top of these (a stream's, since its model).
   */
  surprise(count: number, counted = false, extra?: { readonly singletons: number; readonly observations: number }): number {
    let seen = count;
    let singletons = this.singletons + (extra?.singletons ?? 0);
    let observations = this.observations + (extra?.observations ?? 0);
    if (counted && count >= 1) {
      seen = count - 1;
      observations -= 1;
      if (count === 1) singletons -= 1;
      else if (count === 2) singletons += 1;
    }
    const chance = Math.max(seen, singletons + 1) / (observations + 2);
    return chance >= 1 ? 0 : -Math.log10(chance);
  }
}
