/**
 * How surprising an item (a template, a service, a word) is in a stream that keeps producing items
 * nobody has seen before, measured against the stream itself rather than an assumed vocabulary:
 * −log10 of the chance that the next observation is of an item AT MOST AS COMMON as this one, in
 * decades — a p-value, not the item's own share.
 *
 * - Why a tail and not the share: a system with a long tail of rare messages (thirty register-dump
 *   lines each seen a few times, a hundred user names) logs one of them routinely, though each one
 *   alone is rare. The chance of "something this rare" is the summed share of every item at most
 *   as common, so a long tail is routine and a rare item in a settled stream is not. A threshold on
 *   this value is a false-alarm rate: on a stream like its past, about 1 record in 10^v has a
 *   rarity ≥ v.
 * - Shares are Good–Turing's (Good 1953): the items seen k times carry about (k + 1)·n(k+1) of
 *   the observations, n(j) being the number of items seen j times, so something never seen carries
 *   the singletons' share. Summed over a tail, the items seen at most c times (and the unseen) carry
 *   the observed share of the items seen at most c + 1 times. A thing seen before is never more
 *   surprising than a thing never seen.
 * - Counts above EXACT_COUNTS are grouped in bins of 1/BINS_PER_DOUBLING of a doubling: an item's
 *   tail takes in the items of its own bin (at most 19 % more common than it). Few bins keep the
 *   sum short: it runs on every record. Masses are whole
 *   numbers, so sums are exact and every container computes the same value.
 * Both are ratios, so the value does not creep up as the stream grows.
 */
export const EXACT_COUNTS = 16;
export const BINS_PER_DOUBLING = 4;
/** Bins up to counts of 2^53 (Number.MAX_SAFE_INTEGER). */
export const TAIL_BINS = EXACT_COUNTS + 1 + BINS_PER_DOUBLING * (53 - Math.log2(EXACT_COUNTS)) + 1;
/**
 * An item with at least this share of the observations is ordinary whatever else the stream holds
 * (its tail is at least its share): its surprise is read from its share alone, ≤ 2 decades, which
 * every rarity floor (at least 2) absorbs, and the bins are not summed.
 */
export const COMMON_SHARE = 0.01;

/** The tail bin of an item seen `count` (≥ 1) times: the count itself up to EXACT_COUNTS, then log-spaced. */
export function tailBinOf(count: number): number {
  if (count <= EXACT_COUNTS) return count;
  return Math.min(TAIL_BINS - 1, EXACT_COUNTS + 1 + Math.floor(BINS_PER_DOUBLING * Math.log2(count / EXACT_COUNTS)));
}

/** Moves an item seen `before` times to `before + 1` in `mass` (per bin, the summed counts of its items). */
export function moveMass(mass: Float64Array, before: number): void {
  if (before > 0) {
    const from = tailBinOf(before);
    mass[from] = (mass[from] as number) - before;
  }
  const to = tailBinOf(before + 1);
  mass[to] = (mass[to] as number) + before + 1;
}

/** What a stream learned on top of a frozen tail: how the singletons, observations and bin masses moved. */
export interface TailDelta {
  readonly singletons: number;
  readonly observations: number;
  readonly mass?: Float64Array;
}

export class RarityTail {
  /** Items seen exactly once. */
  singletons = 0;
  /** Observations in all (tracked items and those past a caller's size limit). */
  observations = 0;
  /** Per tail bin, the summed counts of the items in it (so the observations of those items). */
  readonly mass = new Float64Array(TAIL_BINS);

  /** A tail for items with these counts, after `observations` observations in all. */
  static of(counts: Iterable<number>, observations: number): RarityTail {
    const tail = new RarityTail();
    for (const count of counts) {
      if (count === 1) tail.singletons += 1;
      if (count >= 1) {
        const bin = tailBinOf(count);
        tail.mass[bin] = (tail.mass[bin] as number) + count;
      }
    }
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
    moveMass(this.mass, before);
  }

  /**
   * −log10 of the chance that the next observation is of an item seen at most `count` times so far
   * (0: a new item), in decades. Good–Turing for the whole tail: the items seen k times are
   * estimated to carry the share (k + 1)·n(k+1) / observations (the singletons' share for the items
   * never seen), so the items seen at most `count` times — and those never seen — carry the
   * observed share of those seen at most `count` + 1 times; plus one observation, so that a
   * stream without singletons still leaves room for a first sighting.
   * With `counted`, the observation being measured is already in the counts (a redelivered record):
   * it is taken out first, so a redelivery measures what its first delivery did. `extra`: what a
   * stream learned on top of these (since its model). For words the masses may sum past the
   * observations (a record holds several words): the tail is then the expected number of such
   * words in a record, a bound on the chance that a record holds one, and is capped at 1.
   */
  surprise(count: number, counted = false, extra?: TailDelta): number {
    let seen = count;
    let observations = this.observations + (extra?.observations ?? 0);
    if (counted && count >= 1) {
      seen = count - 1;
      observations -= 1;
    }
    const outOf = observations + 2;
    if (seen >= COMMON_SHARE * outOf) {
      const unseen = this.singletons + (extra?.singletons ?? 0) + 1;
      const share = Math.max(seen, unseen) / outOf;
      return share >= 1 ? 0 : -Math.log10(share);
    }
    // The measured item is in the masses at `count`; as a redelivery it counts as at `seen`, which
    // the sum covers either way: only its one extra observation comes out.
    let tail = counted && count >= 1 ? 0 : 1;
    const top = tailBinOf(seen + 1);
    const streamMass = extra?.mass;
    for (let bin = 1; bin <= top; bin++) tail += (this.mass[bin] as number) + (streamMass === undefined ? 0 : (streamMass[bin] as number));
    return tail >= outOf ? 0 : -Math.log10(tail / outOf);
  }
}
