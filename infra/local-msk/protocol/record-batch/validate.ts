import { KafkaProtocolError } from '../../errors.js';
import type { BatchInfo } from '../../storage/storage.js';
import { ErrorCode } from '../error-codes.js';
import { assertSupportedCodec, decompressRecords, defaultMaxDecompressedBytes } from './compression.js';
import { batchField, CompressionCodec, computeBatchCrc, readBatchHeader, type RecordBatchHeader } from './header.js';
import { walkRecords } from './records.js';

export interface ProduceBatchLimits {
  /** Largest accepted batch, whole batch bytes (the topic's max.message.bytes). */
  maxMessageBytes: number;
  /** Cap on the decompressed records section (zip-bomb guard), bytes. */
  maxDecompressedBytes?: number;
}

export interface ValidatedBatch {
  /** The batch exactly as the producer sent it (a view into the request). */
  bytes: Buffer;
  header: RecordBatchHeader;
  /**
   * What the log needs, straight from the header: passing the producer's own maxTimestamp
   * keeps the stored bytes identical to what was sent (a log that sees a different value
   * would rewrite the field and the CRC).
   */
  info: BatchInfo;
}

/**
 * Checks one produced batch (as cut by splitRecordBatches, so magic is 2 and the length is
 * consistent) before it is appended. Throws KafkaProtocolError with:
 * - MESSAGE_TOO_LARGE when the batch exceeds maxMessageBytes;
 * - CORRUPT_MESSAGE when the CRC-32C does not match (or gzip data is broken);
 * - UNSUPPORTED_COMPRESSION_TYPE for snappy, lz4 and zstd;
 * - INVALID_RECORD for control batches, an empty batch, lastOffsetDelta != recordCount-1,
 *   or records whose structure or count disagrees with the header.
 * The bytes are never modified.
 */
export async function validateProducedBatch(batch: Buffer, limits: ProduceBatchLimits): Promise<ValidatedBatch> {
  if (batch.length > limits.maxMessageBytes) {
    throw new KafkaProtocolError(
      ErrorCode.MESSAGE_TOO_LARGE,
      `record batch of ${batch.length} bytes exceeds the topic's max.message.bytes ${limits.maxMessageBytes}`,
    );
  }
  const header = readBatchHeader(batch);
  const expectedCrc = computeBatchCrc(batch);
  if (header.crc !== expectedCrc) {
    throw new KafkaProtocolError(
      ErrorCode.CORRUPT_MESSAGE,
      `record batch CRC-32C mismatch: stored ${header.crc.toString(16)}, computed ${expectedCrc.toString(16)}`,
    );
  }
  if (header.isControl) throw new KafkaProtocolError(ErrorCode.INVALID_RECORD, 'producers may not send control batches');
  if (header.recordCount < 1) {
    throw new KafkaProtocolError(ErrorCode.INVALID_RECORD, `record batch declares ${header.recordCount} records`);
  }
  if (header.lastOffsetDelta !== header.recordCount - 1) {
    throw new KafkaProtocolError(
      ErrorCode.INVALID_RECORD,
      `record batch lastOffsetDelta ${header.lastOffsetDelta} does not match recordCount ${header.recordCount}`,
    );
  }
  assertSupportedCodec(header.compression);
  if (header.compression === CompressionCodec.none) {
    walkRecords(batch, batchField.records, batch.length, header.recordCount);
  } else {
    const section = await decompressRecords(
      header.compression,
      batch.subarray(batchField.records),
      limits.maxDecompressedBytes ?? defaultMaxDecompressedBytes,
    );
    walkRecords(section, 0, section.length, header.recordCount);
  }
  return {
    bytes: batch,
    header,
    info: {
      recordCount: header.recordCount,
      lastOffsetDelta: header.lastOffsetDelta,
      firstTimestamp: header.firstTimestamp,
      maxTimestamp: header.maxTimestamp,
    },
  };
}
