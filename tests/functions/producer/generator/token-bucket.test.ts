import { describe, expect, it } from 'vitest';
import { ConfigError, ValidationError } from '../../../../functions/shared/errors.js';
import { TokenBucket } from '../../../../functions/producer/generator/index.js';
import { FakeClock } from '../../../helpers/fake-clock.js';

/**
 * A producer loop on a fake clock over [start, start + durationMs]: take every available token (in
 * batches of at most `batch`), then sleep for `waitMs(1)`; the last sleep is cut at the end of the
 * run, where the loop takes once more. Returns the tokens granted.
 */
function greedyRun(rate: number, burst: number, durationMs: number, batch = burst): number {
  const clock = new FakeClock(1_700_000_000_000);
  const end = clock.now() + durationMs;
  const bucket = new TokenBucket(rate, burst, clock);
  let granted = 0;
  for (;;) {
    granted += bucket.takeUpTo(batch);
    const wait = bucket.waitMs(1);
    if (wait === 0) continue;
    if (clock.now() === end) return granted;
    clock.advance(Math.min(wait, end - clock.now()));
  }
}

/** A loop that wakes every `periodMs` (and at the end of the run) and takes what it can. */
function periodicRun(rate: number, burst: number, durationMs: number, periodMs: number): number {
  const clock = new FakeClock(0);
  const bucket = new TokenBucket(rate, burst, clock);
  let granted = bucket.takeUpTo(burst);
  while (clock.now() < durationMs) {
    clock.advance(Math.min(periodMs, durationMs - clock.now()));
    granted += bucket.takeUpTo(burst);
  }
  return granted;
}

describe('TokenBucket grants exactly burst + floor(T · rate) tokens over a simulated run', () => {
  it.each([
    // rate/s, burst, duration ms
    [0.1, 1, 600_000],
    [1, 1, 3_600_000],
    [100, 10, 600_000],
    [5_000, 100, 120_000],
    [3, 2, 100_000],
  ])('%d/s, burst %d, sleeping waitMs between takes, over %d ms', (rate, burst, durationMs) => {
    // Act
    const granted = greedyRun(rate, burst, durationMs);

    // Assess
    expect(granted).toBe(burst + Math.floor((durationMs * rate) / 1000));
  });

  it.each([
    [1, 5, 3_600_000, 250],
    [100, 10, 60_000, 7],
    [5_000, 100, 60_000, 10],
    [5_000, 500, 60_000, 100],
  ])('%d/s, burst %d, waking every fixed period, over %d ms (period %d ms)', (rate, burst, durationMs, periodMs) => {
    // Act
    const granted = periodicRun(rate, burst, durationMs, periodMs);

    // Assess: the burst covers one period's tokens, so nothing is lost to the cap
    expect(granted).toBe(burst + Math.floor((durationMs * rate) / 1000));
  });

  it('takes in small batches at a high rate without drifting', () => {
    // Act: 5,000/s in batches of at most 25, burst 50
    const granted = greedyRun(5_000, 50, 60_000, 25);

    // Assess
    expect(granted).toBe(50 + 300_000);
  });
});

describe('TokenBucket', () => {
  it('starts full and caps at burst after idling', () => {
    // Prepare
    const clock = new FakeClock(0);
    const bucket = new TokenBucket(10, 5, clock);

    // Act
    const atStart = bucket.available();
    bucket.takeUpTo(5);
    const afterTaking = bucket.available();
    clock.advance(60_000);
    const afterIdle = bucket.available();

    // Assess
    expect(atStart).toBe(5);
    expect(afterTaking).toBe(0);
    expect(afterIdle).toBe(5);
  });

  it('says how long to wait, and the wait is never too short', () => {
    // Prepare
    const clock = new FakeClock(0);
    const bucket = new TokenBucket(3, 3, clock);
    bucket.takeUpTo(3);

    // Act
    const waitOne = bucket.waitMs(1);
    const waitThree = bucket.waitMs(3);
    clock.advance(waitOne - 1);
    const tooEarly = bucket.tryTake();
    clock.advance(1);
    const onTime = bucket.tryTake();

    // Assess: 1 token every 333.33 ms
    expect(waitOne).toBe(334);
    expect(waitThree).toBe(1000);
    expect(tooEarly).toBe(false);
    expect(onTime).toBe(true);
  });

  it('returns 0 wait when tokens are available, and tryTake is all-or-nothing', () => {
    // Prepare
    const clock = new FakeClock(0);
    const bucket = new TokenBucket(1, 4, clock);

    // Act
    const wait = bucket.waitMs(4);
    const takeFour = bucket.tryTake(4);
    const takeOneMore = bucket.tryTake(1);

    // Assess
    expect(wait).toBe(0);
    expect(takeFour).toBe(true);
    expect(takeOneMore).toBe(false);
  });

  it('does not mint tokens when the clock steps backwards', () => {
    // Prepare
    const clock = { value: 10_000, now(): number { return this.value; } };
    const bucket = new TokenBucket(1, 1, clock);
    bucket.takeUpTo(1);

    // Act
    clock.value = 5_000;
    const afterStepBack = bucket.available();
    clock.value = 10_999;
    const beforeOneSecond = bucket.available();
    clock.value = 11_000;
    const afterOneSecond = bucket.available();

    // Assess
    expect(afterStepBack).toBe(0);
    expect(beforeOneSecond).toBe(0);
    expect(afterOneSecond).toBe(1);
  });

  it.each([
    [0, 1, /rate must be > 0/],
    [-5, 1, /rate must be > 0/],
    [Number.NaN, 1, /rate must be > 0/],
    [Number.POSITIVE_INFINITY, 1, /rate must be > 0/],
    [2_000_000, 1, /<= 1000000/],
    [1, 0, /burst must be a whole number/],
    [1, 1.5, /burst must be a whole number/],
  ])('refuses rate %d and burst %d with a ConfigError', (rate, burst, reason) => {
    // Act + Assess
    expect(() => new TokenBucket(rate, burst, new FakeClock(0))).toThrow(ConfigError);
    expect(() => new TokenBucket(rate, burst, new FakeClock(0))).toThrow(reason);
  });

  it('refuses counts that could never be granted, and a broken clock', () => {
    // Prepare
    const bucket = new TokenBucket(1, 3, new FakeClock(0));
    const broken = { now: (): number => Number.NaN };

    // Act + Assess
    expect(() => bucket.waitMs(4)).toThrow(ValidationError);
    expect(() => bucket.tryTake(0)).toThrow(/from 1 to the burst \(3\)/);
    expect(() => bucket.takeUpTo(-1)).toThrow(/whole number >= 0/);
    expect(() => new TokenBucket(1, 1, broken)).toThrow(/clock returned NaN/);
  });
});
