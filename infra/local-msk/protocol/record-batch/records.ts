/**
 * Records inside a RecordBatch v2 (after decompression):
 *
 *   Record => length:varint attributes:int8 timestampDelta:varlong offsetDelta:varint
 *             keyLength:varint key valueLength:varint value headerCount:varint [Header]
 *   Header => keyLength:varint key(UTF-8) valueLength:varint value
 *
 * `length` counts the bytes after itself; key/value lengths of -1 mean null.
 */
import { KafkaProtocolError } from '../../errors.js';
import { ErrorCode } from '../error-codes.js';
import { decompressRecords, defaultMaxDecompressedBytes } from './compression.js';
import { batchField, batchHeaderBytes, readBatchHeader, type RecordBatchHeader } from './header.js';
import { RecordCursor } from './record-cursor.js';

/** attributes + timestampDelta + offsetDelta + key length + value length + header count, one byte each at least. */
const minRecordBodyBytes = 6;

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

export interface DecodedRecord {
  /** Absolute offset: the batch's baseOffset + offsetDelta. */
  offset: number;
  offsetDelta: number;
  /** ms since the epoch (the batch's maxTimestamp for LogAppendTime batches). */
  timestamp: number;
  attributes: number;
  /** Views into the batch (or its decompressed copy); null when the producer sent null. */
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

export interface DecodedBatch {
  header: RecordBatchHeader;
  records: DecodedRecord[];
}

/**
 * Walks a records section without allocating per record and checks its structure:
 * exactly `expectedCount` records filling [start, end) exactly, every length inside its
 * record, offsetDelta === index. Throws KafkaProtocolError(INVALID_RECORD).
 */
export function walkRecords(bytes: Buffer, start: number, end: number, expectedCount: number): void {
  const cursor = new RecordCursor(bytes, start, end);
  let index = 0;
  while (cursor.pos < end) {
    if (index >= expectedCount) cursor.fail(`batch holds more records than its recordCount ${expectedCount}`);
    cursor.end = end;
    const length = cursor.varint();
    if (length < minRecordBodyBytes || length > end - cursor.pos) {
      cursor.fail(`record ${index} has invalid length ${length} (${end - cursor.pos} bytes left)`);
    }
    const recordEnd = cursor.pos + length;
    cursor.end = recordEnd;
    cursor.pos++; // attributes (unused in v2)
    cursor.varlong(); // timestampDelta
    const offsetDelta = cursor.varint();
    if (offsetDelta !== index) cursor.fail(`record ${index} has offsetDelta ${offsetDelta}`);
    const keyLength = cursor.varint();
    if (keyLength < -1) cursor.fail(`record ${index} has key length ${keyLength}`);
    if (keyLength > 0) cursor.skip(keyLength, 'key');
    const valueLength = cursor.varint();
    if (valueLength < -1) cursor.fail(`record ${index} has value length ${valueLength}`);
    if (valueLength > 0) cursor.skip(valueLength, 'value');
    const headerCount = cursor.varint();
    // Each header takes at least two bytes (two length varints).
    if (headerCount < 0 || headerCount * 2 > recordEnd - cursor.pos) {
      cursor.fail(`record ${index} has header count ${headerCount}`);
    }
    for (let h = 0; h < headerCount; h++) {
      const headerKeyLength = cursor.varint();
      if (headerKeyLength < 0) cursor.fail(`record ${index} header ${h} has key length ${headerKeyLength}`);
      cursor.skip(headerKeyLength, 'header key');
      const headerValueLength = cursor.varint();
      if (headerValueLength < -1) cursor.fail(`record ${index} header ${h} has value length ${headerValueLength}`);
      if (headerValueLength > 0) cursor.skip(headerValueLength, 'header value');
    }
    if (cursor.pos !== recordEnd) cursor.fail(`record ${index} declares ${length} bytes but its fields use ${length - (recordEnd - cursor.pos)}`);
    index++;
  }
  if (index !== expectedCount) cursor.fail(`batch declares ${expectedCount} records but holds ${index}`);
}

/**
 * Decodes every record of one batch (which must be whole: see splitRecordBatches), gunzipping
 * when needed. Allocates per record: for ListOffsets-by-timestamp and tests, not the produce
 * path. Throws KafkaProtocolError (INVALID_RECORD, CORRUPT_MESSAGE, UNSUPPORTED_COMPRESSION_TYPE).
 */
export async function decodeRecordBatch(batch: Buffer, maxDecompressedBytes = defaultMaxDecompressedBytes): Promise<DecodedBatch> {
  if (batch.length < batchHeaderBytes) {
    throw new KafkaProtocolError(ErrorCode.CORRUPT_MESSAGE, `record batch of ${batch.length} bytes is shorter than its header`);
  }
  const header = readBatchHeader(batch);
  const section = await decompressRecords(header.compression, batch.subarray(batchField.records), maxDecompressedBytes);
  const cursor = new RecordCursor(section, 0, section.length);
  const records: DecodedRecord[] = [];
  const logAppendTime = header.timestampType === 'LogAppendTime';
  while (cursor.pos < section.length) {
    if (records.length >= header.recordCount) cursor.fail(`batch holds more records than its recordCount ${header.recordCount}`);
    cursor.end = section.length;
    const length = cursor.varint();
    if (length < minRecordBodyBytes || length > section.length - cursor.pos) cursor.fail(`record ${records.length} has invalid length ${length}`);
    const recordEnd = cursor.pos + length;
    cursor.end = recordEnd;
    const attributes = cursor.byte();
    const timestampDelta = cursor.varlong();
    const offsetDelta = cursor.varint();
    const key = nullableBytes(cursor, 'key');
    const value = nullableBytes(cursor, 'value');
    const headerCount = cursor.varint();
    if (headerCount < 0 || headerCount * 2 > recordEnd - cursor.pos) cursor.fail(`record has header count ${headerCount}`);
    const headers: RecordHeader[] = [];
    for (let h = 0; h < headerCount; h++) {
      const keyLength = cursor.varint();
      if (keyLength < 0) cursor.fail(`header key length ${keyLength}`);
      const headerKey = cursor.view(keyLength, 'header key').toString('utf8');
      headers.push({ key: headerKey, value: nullableBytes(cursor, 'header value') });
    }
    if (cursor.pos !== recordEnd) cursor.fail(`record ${records.length} length ${length} does not match its fields`);
    records.push({
      offset: header.baseOffset + offsetDelta,
      offsetDelta,
      timestamp: logAppendTime ? header.maxTimestamp : header.firstTimestamp + timestampDelta,
      attributes,
      key,
      value,
      headers,
    });
  }
  if (records.length !== header.recordCount) {
    cursor.fail(`batch declares ${header.recordCount} records but holds ${records.length}`);
  }
  return { header, records };
}

function nullableBytes(cursor: RecordCursor, what: string): Buffer | null {
  const length = cursor.varint();
  if (length === -1) return null;
  if (length < -1) cursor.fail(`${what} length ${length}`);
  return cursor.view(length, what);
}
