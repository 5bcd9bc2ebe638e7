import type { KafkaRecordInput } from '../../functions/shared/kafka/index.js';

/** Why a record went to the on-failure destination (or was skipped) without reaching the function. */
export class RecordTooOldError extends Error {
  override readonly name = 'RecordTooOldError';
  constructor(readonly maximumRecordAgeSeconds: number) {
    super(`record is older than maximumRecordAgeInSeconds (${maximumRecordAgeSeconds} s)`);
  }
}

/**
 * Splits records into those too old to be sent and the rest, keeping their order. A record's age is
 * `nowMs` minus its own timestamp (ms since the epoch); AWS sends no record older than
 * maximumRecordAgeInSeconds (-1 = infinite). A record without a timestamp (< 0) never expires.
 */
export function splitByAge<T extends Pick<KafkaRecordInput, 'timestamp'>>(records: readonly T[], maximumRecordAgeSeconds: number, nowMs: number): { expired: T[]; fresh: T[] } {
  if (maximumRecordAgeSeconds === -1) return { expired: [], fresh: [...records] };
  const oldestAllowedMs = nowMs - maximumRecordAgeSeconds * 1000;
  const expired: T[] = [];
  const fresh: T[] = [];
  for (const record of records) (record.timestamp >= 0 && record.timestamp < oldestAllowedMs ? expired : fresh).push(record);
  return { expired, fresh };
}
