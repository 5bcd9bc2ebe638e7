/**
 * A small seeded pseudo-random generator: xoshiro128** (Blackman & Vigna) over four 32-bit words,
 * seeded through splitmix32 from a 32-bit hash of the seed text. Not cryptographic; fast, with a
 * period of 2^128 − 1, and the same seed gives the same sequence on every platform.
 */
export type Seed = number | string;

const TWO_POW_32 = 4294967296;

function rotl(value: number, shift: number): number {
  return (value << shift) | (value >>> (32 - shift));
}

/** 32-bit FNV-1a of the seed's text form, so `42` and `'42'` are the same seed. */
function seedHash(seed: Seed): number {
  const text = String(seed);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** splitmix32 step: spreads one 32-bit state into well-mixed output words. */
function splitmix32(state: { value: number }): number {
  state.value = (state.value + 0x9e3779b9) | 0;
  let z = state.value;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export class Prng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: Seed) {
    const state = { value: seedHash(seed) };
    this.s0 = splitmix32(state);
    this.s1 = splitmix32(state);
    this.s2 = splitmix32(state);
    this.s3 = splitmix32(state);
    // The all-zero state is the one fixed point of xoshiro; splitmix32 practically never yields it.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Uniform integer in [0, 2^32). */
  uint32(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform float in [0, 1) with 32 bits of resolution. */
  next(): number {
    return this.uint32() / TWO_POW_32;
  }

  /** Uniform integer in [0, n), n ≥ 1 (bias below 2^-32 · n, irrelevant here). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [min, max], inclusive. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A uniformly chosen element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  /**
   * A log-normal sample, via Box–Muller: exp(mu + sigma·N(0,1)). Used for durations and sizes,
   * which are right-skewed in real logs.
   */
  logNormal(mu: number, sigma: number): number {
    const u1 = 1 - this.next(); // (0, 1]
    const u2 = this.next();
    const normal = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    return Math.exp(mu + sigma * normal);
  }
}
