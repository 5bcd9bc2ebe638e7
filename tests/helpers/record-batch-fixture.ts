/**
 * RecordBatch v2 bytes for storage tests, built with the broker's own test encoder
 * (valid header and CRC-32C), plus the BatchInfo a Produce handler would pass along.
 */
import { encodeRecordBatch } from '../../infra/local-msk/protocol/record-batch/encoder.js';
import { readBatchHeader } from '../../infra/local-msk/protocol/record-batch/header.js';
import type { BatchInfo } from '../../infra/local-msk/storage/storage.js';

export interface FixtureBatch {
  bytes: Buffer;
  info: BatchInfo;
}

export interface FixtureBatchOptions {
  /** Number of records (default 1). */
  records?: number;
  /** Bytes per record value (default 100). */
  valueBytes?: number;
  /** Timestamp of every record, ms (default 1_700_000_000_000). */
  timestamp?: number;
  /** Distinguishes batches: record values start with this text (default "batch"). */
  tag?: string;
}

/** One batch whose record values are `tag-<record index>` padded to `valueBytes`. */
export function fixtureBatch(options: FixtureBatchOptions = {}): FixtureBatch {
  const count = options.records ?? 1;
  const valueBytes = options.valueBytes ?? 100;
  const timestamp = options.timestamp ?? 1_700_000_000_000;
  const tag = options.tag ?? 'batch';
  const records = Array.from({ length: count }, (_, index) => ({
    key: `key-${index}`,
    value: `${tag}-${index}-`.padEnd(valueBytes, 'x'),
    timestamp,
  }));
  const bytes = encodeRecordBatch({ records, firstTimestamp: timestamp });
  return { bytes, info: batchInfoOf(bytes) };
}

/** The BatchInfo of a batch, read from its header. */
export function batchInfoOf(bytes: Buffer): BatchInfo {
  const header = readBatchHeader(bytes);
  return {
    recordCount: header.recordCount,
    lastOffsetDelta: header.lastOffsetDelta,
    firstTimestamp: header.firstTimestamp,
    maxTimestamp: header.maxTimestamp,
  };
}

/** Base offset stored in a batch (bytes 0-7). */
export function baseOffsetOf(bytes: Buffer): number {
  return Number(bytes.readBigInt64BE(0));
}

/** Last offset covered by a stored batch. */
export function lastOffsetOf(bytes: Buffer): number {
  return baseOffsetOf(bytes) + bytes.readInt32BE(23);
}

/** Whether two batches are the same apart from the baseOffset field the log rewrites. */
export function sameBatchContent(stored: Buffer, original: Buffer): boolean {
  return stored.length === original.length && stored.subarray(8).equals(original.subarray(8));
}
