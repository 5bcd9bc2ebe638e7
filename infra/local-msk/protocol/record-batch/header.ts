/**
 * RecordBatch v2 (magic 2) header, as laid out on the wire and on disk:
 *
 *   baseOffset: int64            @0   (rewritten by the log; outside the CRC)
 *   batchLength: int32           @8   (bytes after this field, i.e. total size - 12)
 *   partitionLeaderEpoch: int32  @12
 *   magic: int8                  @16
 *   crc: uint32                  @17  (CRC-32C of bytes @21 .. end)
 *   attributes: int16            @21
 *   lastOffsetDelta: int32       @23
 *   firstTimestamp: int64        @27
 *   maxTimestamp: int64          @35
 *   producerId: int64            @43
 *   producerEpoch: int16         @51
 *   baseSequence: int32          @53
 *   recordCount: int32           @57
 *   records                      @61  (compressed as one block when the codec is not none)
 */
import { crc32c } from '../crc32c.js';

export const batchField = {
  baseOffset: 0,
  batchLength: 8,
  partitionLeaderEpoch: 12,
  magic: 16,
  crc: 17,
  attributes: 21,
  lastOffsetDelta: 23,
  firstTimestamp: 27,
  maxTimestamp: 35,
  producerId: 43,
  producerEpoch: 51,
  baseSequence: 53,
  recordCount: 57,
  records: 61,
} as const;

/** Size of the fixed header; the smallest possible batch (no records) has exactly this size. */
export const batchHeaderBytes = 61;
/** baseOffset + batchLength: the bytes not counted by batchLength. */
export const batchLengthPrefixBytes = 12;
/** The only record format this broker accepts. */
export const supportedMagic = 2;

/** Compression codec (attributes bits 0-2). */
export const CompressionCodec = {
  none: 0,
  gzip: 1,
  snappy: 2,
  lz4: 3,
  zstd: 4,
} as const;
export type CompressionCodec = (typeof CompressionCodec)[keyof typeof CompressionCodec];

export const attributeBits = {
  compressionMask: 0x07,
  logAppendTime: 0x08,
  transactional: 0x10,
  control: 0x20,
} as const;

export interface RecordBatchHeader {
  baseOffset: number;
  batchLength: number;
  partitionLeaderEpoch: number;
  magic: number;
  /** CRC-32C as stored in the batch (unsigned). */
  crc: number;
  attributes: number;
  /** attributes bits 0-2; 0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd. */
  compression: number;
  /** attributes bit 3. */
  timestampType: 'CreateTime' | 'LogAppendTime';
  /** attributes bit 4. */
  isTransactional: boolean;
  /** attributes bit 5. */
  isControl: boolean;
  lastOffsetDelta: number;
  /** ms since the epoch. */
  firstTimestamp: number;
  /** ms since the epoch. */
  maxTimestamp: number;
  /** -1 when the producer is not idempotent. */
  producerId: number;
  producerEpoch: number;
  /** -1 when the producer is not idempotent. */
  baseSequence: number;
  recordCount: number;
}

/** int64 as a number without a BigInt allocation; exact for |value| < 2^53. */
export function readInt64(bytes: Buffer, at: number): number {
  return bytes.readInt32BE(at) * 4294967296 + bytes.readUInt32BE(at + 4);
}

/**
 * Reads the fixed header of the batch starting at `bytes[0]`. Only the length is checked
 * (RangeError below `batchHeaderBytes`); magic, CRC and counts are the caller's to judge.
 */
export function readBatchHeader(bytes: Buffer): RecordBatchHeader {
  if (bytes.length < batchHeaderBytes) {
    throw new RangeError(`a record batch header needs ${batchHeaderBytes} bytes, got ${bytes.length}`);
  }
  const attributes = bytes.readInt16BE(batchField.attributes);
  return {
    baseOffset: readInt64(bytes, batchField.baseOffset),
    batchLength: bytes.readInt32BE(batchField.batchLength),
    partitionLeaderEpoch: bytes.readInt32BE(batchField.partitionLeaderEpoch),
    magic: bytes.readInt8(batchField.magic),
    crc: bytes.readUInt32BE(batchField.crc),
    attributes,
    compression: attributes & attributeBits.compressionMask,
    timestampType: attributes & attributeBits.logAppendTime ? 'LogAppendTime' : 'CreateTime',
    isTransactional: (attributes & attributeBits.transactional) !== 0,
    isControl: (attributes & attributeBits.control) !== 0,
    lastOffsetDelta: bytes.readInt32BE(batchField.lastOffsetDelta),
    firstTimestamp: readInt64(bytes, batchField.firstTimestamp),
    maxTimestamp: readInt64(bytes, batchField.maxTimestamp),
    producerId: readInt64(bytes, batchField.producerId),
    producerEpoch: bytes.readInt16BE(batchField.producerEpoch),
    baseSequence: bytes.readInt32BE(batchField.baseSequence),
    recordCount: bytes.readInt32BE(batchField.recordCount),
  };
}

/** The CRC-32C the batch should carry: over everything from `attributes` to the end. */
export function computeBatchCrc(batch: Buffer): number {
  return crc32c(batch, batchField.attributes, batch.length);
}

/** Whether the stored CRC matches the bytes. */
export function hasValidCrc(batch: Buffer): boolean {
  return batch.length >= batchHeaderBytes && batch.readUInt32BE(batchField.crc) === computeBatchCrc(batch);
}
