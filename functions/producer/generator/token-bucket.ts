import { ConfigError, ValidationError } from '../../shared/errors.js';

/** A time source in ms since the epoch (or any monotonic origin). Date.now by default. */
export interface TokenClock {
  now(): number;
}

const systemClock: TokenClock = { now: () => Date.now() };

export const MAX_TOKEN_RATE_PER_SECOND = 1_000_000;
export const MAX_TOKEN_BURST = 1_000_000;
/** Tolerance (in tokens) for float rounding when counting whole tokens. */
const TOKEN_EPSILON = 1e-6;

/**
 * A token bucket holding a send rate precisely over long runs: tokens accrue at `ratePerSecond`, up
 * to `burst` whole tokens; the bucket starts full.
 *
 * Precision: tokens are counted from an origin that is always an actual clock reading, as
 * `base + (now − origin) · rate / 1000 − taken`, not by adding small increments, so rounding does
 * not accumulate; the origin moves only when the bucket fills to `burst`. With an integer clock
 * the number of tokens granted over T ms is exactly `burst + floor(T · rate / 1000)` when the
 * caller keeps taking.
 *
 * Use with batches at high rates: sleep `waitMs(1)` (whole ms, never too short), then `takeUpTo(batch)`.
 * Choose `burst` ≥ rate × the longest sleep, or tokens that would exceed it are lost.
 */
export class TokenBucket {
  readonly ratePerSecond: number;
  readonly burst: number;
  private readonly clock: TokenClock;
  /** A clock reading; tokens accrue from here. */
  private originMs: number;
  /** Tokens in the bucket at `originMs`. */
  private baseTokens: number;
  /** Whole tokens taken since `originMs`. */
  private taken = 0;
  /** Latest clock reading seen; a clock that steps back is treated as standing still. */
  private lastNowMs: number;

  constructor(ratePerSecond: number, burst: number, clock: TokenClock = systemClock) {
    if (typeof ratePerSecond !== 'number' || !Number.isFinite(ratePerSecond) || ratePerSecond <= 0 || ratePerSecond > MAX_TOKEN_RATE_PER_SECOND) {
      throw new ConfigError(`token bucket rate must be > 0 and <= ${MAX_TOKEN_RATE_PER_SECOND} per second, got ${String(ratePerSecond)}`);
    }
    if (!Number.isInteger(burst) || burst < 1 || burst > MAX_TOKEN_BURST) {
      throw new ConfigError(`token bucket burst must be a whole number from 1 to ${MAX_TOKEN_BURST}, got ${String(burst)}`);
    }
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.clock = clock;
    this.originMs = this.readClock();
    this.lastNowMs = this.originMs;
    this.baseTokens = burst;
  }

  /** Whole tokens available now, 0..burst. */
  available(): number {
    return Math.floor(this.tokensAt(this.readClock()) + TOKEN_EPSILON);
  }

  /** Takes `count` tokens if all are available now; returns whether it did. */
  tryTake(count = 1): boolean {
    this.checkCount(count);
    if (this.available() < count) return false;
    this.taken += count;
    return true;
  }

  /** Takes as many whole tokens as are available, at most `max`; returns how many (0..max). */
  takeUpTo(max: number): number {
    if (!Number.isInteger(max) || max < 0) throw new ValidationError(`takeUpTo needs a whole number >= 0, got ${String(max)}`);
    const granted = Math.min(max, this.available());
    this.taken += granted;
    return granted;
  }

  /**
   * Whole milliseconds to wait until `count` tokens are available (0 when they are now). Never too
   * short: after waiting this long, `tryTake(count)` succeeds unless someone else took tokens.
   */
  waitMs(count = 1): number {
    this.checkCount(count);
    const now = this.readClock();
    const missing = count - this.tokensAt(now);
    if (missing <= TOKEN_EPSILON) return 0;
    return Math.ceil((missing * 1000) / this.ratePerSecond);
  }

  private checkCount(count: number): void {
    if (!Number.isInteger(count) || count < 1 || count > this.burst) {
      throw new ValidationError(`token count must be a whole number from 1 to the burst (${this.burst}), got ${String(count)}`);
    }
  }

  /** Fractional tokens at `now` (after capping at burst, which moves the origin to `now`). */
  private tokensAt(now: number): number {
    const tokens = this.baseTokens + ((now - this.originMs) * this.ratePerSecond) / 1000 - this.taken;
    if (tokens >= this.burst) {
      this.originMs = now;
      this.baseTokens = this.burst;
      this.taken = 0;
      return this.burst;
    }
    return tokens;
  }

  private readClock(): number {
    const now = this.clock.now();
    if (typeof now !== 'number' || !Number.isFinite(now)) throw new ValidationError(`token bucket clock returned ${String(now)}, not a finite number of ms`);
    if (this.lastNowMs !== undefined && now < this.lastNowMs) return this.lastNowMs;
    this.lastNowMs = now;
    return now;
  }
}
