import { batchField, batchHeaderBytes, batchLengthPrefixBytes, computeBatchCrc, supportedMagic } from '../../local-msk/protocol/record-batch/index.js';

/** One record as the load generator sends it: UTF-8 key, value bytes, string headers. */
export interface LeanRecord {
  readonly key: string;
  readonly value: Buffer;
  readonly headers: readonly { readonly key: string; readonly value: string }[];
}

/** Most bytes a zig-zag varint of a 32-bit value takes. */
const maxVarintBytes = 5;

/**
 * Encodes records as one uncompressed RecordBatch v2, every record stamped `timestampMs`
 * (timestamp delta 0), offset deltas 0..n-1, no producer id, CRC-32C set. Written straight into one
 * buffer: the general encoder (`encodeRecordBatch`) builds a writer per record and costs ~6 µs per
 * record, this ~1 µs, which is what lets the benchmark's generator stay cheap at 20,000+ records/s.
 */
export function encodeLeanBatch(records: readonly LeanRecord[], timestampMs: number): Buffer {
  let bound = batchHeaderBytes;
  for (const record of records) {
    bound += 6 * maxVarintBytes + 3 + record.key.length * 3 + record.value.length;
    for (const header of record.headers) bound += 2 * maxVarintBytes + (header.key.length + header.value.length) * 3;
  }
  const batch = Buffer.allocUnsafe(bound);
  let at = batchHeaderBytes;
  for (let index = 0; index < records.length; index++) {
    const record = records[index]!;
    // A varint length precedes each variable part; its width is known only after the part is
    // written, so the part goes behind room for the widest varint and is moved back after.
    const lengthAt = at;
    let body = at + maxVarintBytes;
    batch[body++] = 0; // attributes
    batch[body++] = 0; // timestamp delta 0 (zig-zag varint)
    body = writeVarint(batch, body, index); // offset delta
    const keyBytes = batch.write(record.key, body + maxVarintBytes, 'utf8');
    body = moveAfterVarint(batch, body, keyBytes);
    body = writeVarint(batch, body, record.value.length);
    body += record.value.copy(batch, body);
    body = writeVarint(batch, body, record.headers.length);
    for (const header of record.headers) {
      const headerKeyBytes = batch.write(header.key, body + maxVarintBytes, 'utf8');
      body = moveAfterVarint(batch, body, headerKeyBytes);
      const headerValueBytes = batch.write(header.value, body + maxVarintBytes, 'utf8');
      body = moveAfterVarint(batch, body, headerValueBytes);
    }
    at = moveAfterVarint(batch, lengthAt, body - (lengthAt + maxVarintBytes));
  }
  const size = at;
  batch.writeBigInt64BE(0n, batchField.baseOffset);
  batch.writeInt32BE(size - batchLengthPrefixBytes, batchField.batchLength);
  batch.writeInt32BE(0, batchField.partitionLeaderEpoch);
  batch.writeInt8(supportedMagic, batchField.magic);
  batch.writeInt16BE(0, batchField.attributes);
  batch.writeInt32BE(records.length - 1, batchField.lastOffsetDelta);
  batch.writeBigInt64BE(BigInt(timestampMs), batchField.firstTimestamp);
  batch.writeBigInt64BE(BigInt(timestampMs), batchField.maxTimestamp);
  batch.writeBigInt64BE(-1n, batchField.producerId);
  batch.writeInt16BE(-1, batchField.producerEpoch);
  batch.writeInt32BE(-1, batchField.baseSequence);
  batch.writeInt32BE(records.length, batchField.recordCount);
  const result = batch.subarray(0, size);
  result.writeUInt32BE(computeBatchCrc(result), batchField.crc);
  return result;
}

/** Zig-zag varint of a non-negative 32-bit value at `at`; returns the position after it. */
function writeVarint(buffer: Buffer, at: number, value: number): number {
  let rest = (value << 1) >>> 0;
  while (rest >= 0x80) {
    buffer[at++] = (rest & 0x7f) | 0x80;
    rest >>>= 7;
  }
  buffer[at++] = rest;
  return at;
}

/**
 * `length` bytes were written at `at + maxVarintBytes`; writes their varint length at `at` and
 * moves them right behind it. Returns the position after the bytes.
 */
function moveAfterVarint(buffer: Buffer, at: number, length: number): number {
  const start = writeVarint(buffer, at, length);
  if (start !== at + maxVarintBytes) buffer.copy(buffer, start, at + maxVarintBytes, at + maxVarintBytes + length);
  return start + length;
}
