/**
 * The few RecordBatch v2 header fields the log itself needs, read straight from stored
 * bytes. A "frame" is one whole batch: 12 bytes (baseOffset + batchLength) followed by
 * batchLength bytes. Offsets in the log are contiguous: a frame's successor starts at
 * baseOffset + lastOffsetDelta + 1.
 */
import type { StoredProducerBatch } from '../../producers/producer-history.js';
import { lastSequenceOf } from '../../producers/producer-state.js';
import { crc32c } from '../../protocol/crc32c.js';
import {
  batchField,
  batchHeaderBytes,
  batchLengthPrefixBytes,
  readInt64,
  supportedMagic,
} from '../../protocol/record-batch/header.js';

export { batchHeaderBytes };

/** Header fields of a stored batch. */
export interface FrameHeader {
  baseOffset: number;
  /** Whole frame size in bytes (batchLength + 12). */
  size: number;
  lastOffset: number;
  /** ms; -1 when the producer set none. */
  maxTimestamp: number;
}

/** Reads the header of the frame at `bytes[at]`; the caller guarantees `batchHeaderBytes` are there. */
export function readFrameHeader(bytes: Buffer, at: number): FrameHeader {
  const baseOffset = readInt64(bytes, at + batchField.baseOffset);
  return {
    baseOffset,
    size: bytes.readInt32BE(at + batchField.batchLength) + batchLengthPrefixBytes,
    lastOffset: baseOffset + bytes.readInt32BE(at + batchField.lastOffsetDelta),
    maxTimestamp: readInt64(bytes, at + batchField.maxTimestamp),
  };
}

/** The producer fields of the stored frame at `bytes[at]` (producerId -1: not an idempotent producer's). */
export function readStoredProducerBatch(bytes: Buffer, at: number): StoredProducerBatch {
  const firstSequence = bytes.readInt32BE(at + batchField.baseSequence);
  const lastOffsetDelta = bytes.readInt32BE(at + batchField.lastOffsetDelta);
  return {
    producerId: readInt64(bytes, at + batchField.producerId),
    producerEpoch: bytes.readInt16BE(at + batchField.producerEpoch),
    firstSequence,
    lastSequence: lastSequenceOf({ producerId: 0, producerEpoch: 0, baseSequence: firstSequence, lastOffsetDelta }),
    baseOffset: readInt64(bytes, at + batchField.baseOffset),
  };
}

/** Frame size from the batchLength field alone (needs 12 bytes at `at`). */
export function readFrameSize(bytes: Buffer, at: number): number {
  return bytes.readInt32BE(at + batchField.batchLength) + batchLengthPrefixBytes;
}

/**
 * Why the header at `bytes[at]` cannot start a frame of this log, or null when it can.
 * Checks only what the header alone shows (size and magic), not the CRC.
 */
export function headerProblem(bytes: Buffer, at: number): string | null {
  const size = readFrameSize(bytes, at);
  if (size < batchHeaderBytes) return `batchLength ${size - batchLengthPrefixBytes} is too small`;
  const magic = bytes.readInt8(at + batchField.magic);
  if (magic !== supportedMagic) return `magic ${magic} is not ${supportedMagic}`;
  if (bytes.readInt32BE(at + batchField.lastOffsetDelta) < 0) return 'negative lastOffsetDelta';
  return null;
}

/** Whether the whole frame `bytes[at, at + size)` carries a correct CRC-32C (attributes .. end). */
export function frameCrcMatches(bytes: Buffer, at: number, size: number): boolean {
  return bytes.readUInt32BE(at + batchField.crc) === crc32c(bytes, at + batchField.attributes, at + size);
}

/** Writes `offset` into the baseOffset field (bytes 0-7, outside the CRC) without a BigInt. */
export function writeBaseOffset(bytes: Buffer, offset: number): void {
  bytes.writeUInt32BE(Math.floor(offset / 4294967296), batchField.baseOffset);
  bytes.writeUInt32BE(offset >>> 0, batchField.baseOffset + 4);
}

/**
 * Sets the header's maxTimestamp and re-seals the CRC (maxTimestamp lies inside the CRC).
 * Used when the broker computed a different maximum from the records than the producer
 * wrote, as Kafka does, so the stored header is the truth that recovery rebuilds from.
 */
export function rewriteMaxTimestamp(bytes: Buffer, maxTimestamp: number): void {
  bytes.writeInt32BE(Math.floor(maxTimestamp / 4294967296), batchField.maxTimestamp);
  bytes.writeUInt32BE(maxTimestamp >>> 0, batchField.maxTimestamp + 4);
  bytes.writeUInt32BE(crc32c(bytes, batchField.attributes, bytes.length), batchField.crc);
}

/**
 * Throws RangeError unless `batch` is one structurally whole RecordBatch v2: the log
 * relies on batchLength to find the next frame, so a lying length would make every
 * later frame unreadable. (The CRC is the Produce handler's job.)
 */
export function assertAppendableBatch(batch: Buffer): void {
  if (batch.length < batchHeaderBytes) {
    throw new RangeError(`a record batch needs at least ${batchHeaderBytes} bytes, got ${batch.length}`);
  }
  if (readFrameSize(batch, 0) !== batch.length) {
    throw new RangeError(`batchLength ${batch.readInt32BE(batchField.batchLength)} does not match the ${batch.length}-byte batch`);
  }
  const problem = headerProblem(batch, 0);
  if (problem) throw new RangeError(`not an appendable record batch: ${problem}`);
}
