import { Writer } from '../writer.js';
import { compressRecords } from './compression.js';
import { attributeBits, batchField, batchHeaderBytes, batchLengthPrefixBytes, CompressionCodec, computeBatchCrc, supportedMagic } from './header.js';

export interface RecordToEncode {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  /** Header values may repeat keys, so a list rather than a map. */
  headers?: readonly { key: string; value: Buffer | string | null }[];
  /** ms since the epoch; defaults to the batch's firstTimestamp. */
  timestamp?: number;
}

export interface EncodeBatchOptions {
  records: readonly RecordToEncode[];
  /** none (0) or gzip (1); other codecs can be set via `attributes` for negative tests only. */
  compression?: typeof CompressionCodec.none | typeof CompressionCodec.gzip;
  baseOffset?: number;
  /** Defaults to the smallest record timestamp, or now when no record has one. */
  firstTimestamp?: number;
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  partitionLeaderEpoch?: number;
  transactional?: boolean;
  /** Extra attribute bits OR-ed in (e.g. a codec this encoder cannot produce, for tests). */
  extraAttributes?: number;
}

const toBuffer = (value: Buffer | string): Buffer => (typeof value === 'string' ? Buffer.from(value) : value);

function writeNullableVarintBytes(writer: Writer, value: Buffer | string | null | undefined): void {
  if (value === null || value === undefined) {
    writer.varint(-1);
    return;
  }
  const bytes = toBuffer(value);
  writer.varint(bytes.length).raw(bytes);
}

/** Records section (uncompressed) for the given records with offset deltas 0..n-1. */
export function encodeRecords(records: readonly RecordToEncode[], firstTimestamp: number): Buffer {
  const out = new Writer(records.length * 64 + 16);
  for (let index = 0; index < records.length; index++) {
    const record = records[index]!;
    const body = new Writer(64);
    body.int8(0);
    body.varlong((record.timestamp ?? firstTimestamp) - firstTimestamp);
    body.varint(index);
    writeNullableVarintBytes(body, record.key);
    writeNullableVarintBytes(body, record.value);
    const headers = record.headers ?? [];
    body.varint(headers.length);
    for (const header of headers) {
      const key = Buffer.from(header.key, 'utf8');
      body.varint(key.length).raw(key);
      writeNullableVarintBytes(body, header.value);
    }
    out.varint(body.length).raw(body.toBuffer());
  }
  return out.toBuffer();
}

/**
 * Encodes one RecordBatch v2 with a correct CRC-32C. For tests and the benchmark;
 * the broker itself never re-encodes what producers send.
 */
export function encodeRecordBatch(options: EncodeBatchOptions): Buffer {
  const { records } = options;
  const timestamps = records.map((record) => record.timestamp).filter((t): t is number => t !== undefined);
  const firstTimestamp = options.firstTimestamp ?? (timestamps.length > 0 ? Math.min(...timestamps) : Date.now());
  const maxTimestamp = timestamps.length > 0 ? Math.max(firstTimestamp, ...timestamps) : firstTimestamp;
  const compression = options.compression ?? CompressionCodec.none;
  const section = compressRecords(compression, encodeRecords(records, firstTimestamp));
  const attributes =
    compression | (options.transactional ? attributeBits.transactional : 0) | (options.extraAttributes ?? 0);

  const batch = Buffer.alloc(batchHeaderBytes + section.length);
  batch.writeBigInt64BE(BigInt(options.baseOffset ?? 0), batchField.baseOffset);
  batch.writeInt32BE(batch.length - batchLengthPrefixBytes, batchField.batchLength);
  batch.writeInt32BE(options.partitionLeaderEpoch ?? 0, batchField.partitionLeaderEpoch);
  batch.writeInt8(supportedMagic, batchField.magic);
  batch.writeInt16BE(attributes, batchField.attributes);
  batch.writeInt32BE(records.length - 1, batchField.lastOffsetDelta);
  batch.writeBigInt64BE(BigInt(firstTimestamp), batchField.firstTimestamp);
  batch.writeBigInt64BE(BigInt(maxTimestamp), batchField.maxTimestamp);
  batch.writeBigInt64BE(BigInt(options.producerId ?? -1), batchField.producerId);
  batch.writeInt16BE(options.producerEpoch ?? -1, batchField.producerEpoch);
  batch.writeInt32BE(options.baseSequence ?? -1, batchField.baseSequence);
  batch.writeInt32BE(records.length, batchField.recordCount);
  section.copy(batch, batchField.records);
  batch.writeUInt32BE(computeBatchCrc(batch), batchField.crc);
  return batch;
}
