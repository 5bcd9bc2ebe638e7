/** When failed records are invoked again, and how long to wait before. Pure. */
export interface RetryPolicy {
  /** Retries of a function error after the first attempt; -1 = infinite. */
  maximumRetryAttempts: number;
  /** Delay before the first retry, in ms; doubles per retry. */
  baseDelayMs: number;
  /** Upper bound of one delay, in ms. */
  maxDelayMs: number;
}

export const defaultRetryDelays = Object.freeze({ baseDelayMs: 500, maxDelayMs: 30_000 });

/**
 * May records whose invocation failed (a function error, an unreadable or partial batch response)
 * be invoked once more? `retriesDone` counts retries already made, not the first attempt. Record
 * age is not checked here: every invocation first sets aside records that are too old (record-age.ts).
 */
export function mayRetry(policy: Pick<RetryPolicy, 'maximumRetryAttempts'>, retriesDone: number): boolean {
  return policy.maximumRetryAttempts === -1 || retriesDone < policy.maximumRetryAttempts;
}

/** Delay before retry number `retry` (1-based): base × 2^(retry-1), capped at maxDelayMs. */
export function backoffMs(policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, retry: number): number {
  const exponent = Math.min(Math.max(retry - 1, 0), 30);
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
}

/**
 * Delay before calling the Invoke API again after its failure number `failures` (1-based; a
 * throttle, a refused connection, a 5xx): backoffMs with "equal jitter" — between half of it and
 * all of it, so pollers throttled together do not retry in step. `random` returns [0, 1).
 * These retries never end by count (AWS retries them until the records expire); the delay is capped.
 */
export function invokeRetryDelayMs(policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, failures: number, random: () => number): number {
  const ceiling = backoffMs(policy, failures);
  return Math.round(ceiling / 2 + (ceiling / 2) * Math.min(Math.max(random(), 0), 1));
}
