/**
 * A small seeded pseudo-random generator: xoshiro128** (Blackman & Vigna) whose 128-bit state is
 * filled from the seed with splitmix32. Same seed → same sequence, on every platform (only 32-bit
 * integer arithmetic via Math.imul and shifts). Not cryptographic: it only makes forests reproducible.
 */
export class SeededRandom {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** `seed` is any safe integer; its low and high 32-bit halves both feed the state. */
  constructor(seed: number) {
    const low = seed >>> 0;
    const high = Math.floor(seed / 4294967296) >>> 0;
    let mix = (low ^ Math.imul(high, 0x9e3779b9)) >>> 0;
    const next = (): number => {
      mix = (mix + 0x9e3779b9) | 0;
      let z = mix;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    // xoshiro's state must not be all zero; splitmix32 makes that practically impossible, but be sure.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next 32-bit unsigned integer, uniform over [0, 2^32). */
  nextUint32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    const s2 = this.s2;
    const s3 = this.s3;
    const product = Math.imul(s1, 5);
    const result = Math.imul((product << 7) | (product >>> 25), 9) >>> 0;
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    this.s1 = s1 ^ n2;
    this.s0 = s0 ^ n3;
    this.s2 = n2 ^ t;
    this.s3 = (n3 << 11) | (n3 >>> 21);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  nextFloat(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** Uniform integer in [0, bound) for 1 ≤ bound ≤ 2^32 (bias below 2^-21, irrelevant here). */
  nextInt(bound: number): number {
    return Math.floor(this.nextFloat() * bound);
  }
}
