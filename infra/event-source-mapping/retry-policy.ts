/** When a failed batch is retried, and how long to wait before each retry. Pure. */
export interface RetryPolicy {
  /** Retries after the first attempt; -1 = infinite. */
  maximumRetryAttempts: number;
  /** -1 = infinite; else a batch whose oldest record is older than this is not retried. */
  maximumRecordAgeSeconds: number;
  /** Delay before the first retry, in ms; doubles per retry. */
  baseDelayMs: number;
  /** Upper bound of one delay, in ms. */
  maxDelayMs: number;
}

export const defaultRetryDelays = Object.freeze({ baseDelayMs: 500, maxDelayMs: 30_000 });

/**
 * May the batch be retried once more? `retriesDone` counts retries already made (not the first
 * attempt). Record age is measured from the oldest record's own timestamp (ms since the epoch);
 * a record without a timestamp (< 0) never expires by age.
 */
export function mayRetry(policy: RetryPolicy, retriesDone: number, oldestTimestampMs: number, nowMs: number): boolean {
  if (policy.maximumRetryAttempts !== -1 && retriesDone >= policy.maximumRetryAttempts) return false;
  if (policy.maximumRecordAgeSeconds !== -1 && oldestTimestampMs >= 0 && nowMs - oldestTimestampMs > policy.maximumRecordAgeSeconds * 1000) return false;
  return true;
}

/** Delay before retry number `retry` (1-based): base × 2^(retry-1), capped at maxDelayMs. */
export function backoffMs(policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, retry: number): number {
  const exponent = Math.min(Math.max(retry - 1, 0), 30);
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
}
