import { isAscii, isUtf8 } from 'node:buffer';
import { ValidationError } from '../errors.js';
import { acceptCommonLogRecord } from './common-log-record.js';
import { MAX_RECORD_BYTES, type LogRecord } from './log-record.js';
import { validateLogRecordReference } from './validate-log-record-reference.js';

export { validateLogRecordReference } from './validate-log-record-reference.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Decodes and validates the value of a Kafka record on topic `logs`.
 *
 * Throws ValidationError whose message says why: empty value, oversize (> 64 KiB raw), not UTF-8,
 * not JSON, not a JSON object, a forbidden key (`__proto__`, `constructor`, `prototype`, at any
 * depth), or the schema problems, each naming its field. Unknown fields are dropped.
 */
export function parseLogRecord(bytes: Buffer | Uint8Array | null | undefined): LogRecord {
  if (bytes === null || bytes === undefined || bytes.length === 0) {
    throw new ValidationError('log record is empty: the Kafka record has no value');
  }
  if (bytes.length > MAX_RECORD_BYTES) {
    throw new ValidationError(`log record is oversize: ${bytes.length} bytes, limit ${MAX_RECORD_BYTES}`);
  }
  const text = decodeUtf8(bytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new ValidationError(`log record is not JSON: ${(cause as Error).message}`, { cause });
  }
  // The parsed value is this function's own, so the fast path may return it as it is. JSON text
  // holds control characters U+0000–U+001F only as backslash escapes, so a text without a
  // backslash and without U+007F has none in any string (two native scans instead of one per field).
  const controlFree = text.indexOf('\\') === -1 && text.indexOf('\u007f') === -1;
  const common = typeof value === 'object' && value !== null && !Array.isArray(value) ? acceptCommonLogRecord(value, true, controlFree) : undefined;
  return common ?? validateLogRecordReference(value);
}

/** Validates an already-decoded value (e.g. from a test or another transport); same errors as parseLogRecord. */
export function validateLogRecord(value: unknown): LogRecord {
  const common = typeof value === 'object' && value !== null && !Array.isArray(value) ? acceptCommonLogRecord(value) : undefined;
  return common ?? validateLogRecordReference(value);
}

/** Encodes a record as the UTF-8 JSON value of a Kafka record; validates it first so nothing the detector would reject is sent. */
export function serializeLogRecord(record: LogRecord): Buffer {
  const valid = validateLogRecord(record);
  const bytes = Buffer.from(JSON.stringify(valid), 'utf8');
  if (bytes.length > MAX_RECORD_BYTES) {
    throw new ValidationError(`log record is oversize: ${bytes.length} bytes serialized, limit ${MAX_RECORD_BYTES}`);
  }
  return bytes;
}

/**
 * UTF-8 to text as the fatal TextDecoder does it (one leading byte-order mark dropped). Valid
 * Buffers, the common case, are decoded by Buffer (ASCII as Latin-1, the same characters, and
 * cheaper); anything else goes through the TextDecoder, whose error becomes the cause.
 */
function decodeUtf8(bytes: Buffer | Uint8Array): string {
  if (Buffer.isBuffer(bytes)) {
    if (isAscii(bytes)) return bytes.toString('latin1');
    if (isUtf8(bytes)) return hasByteOrderMark(bytes) ? bytes.toString('utf8', 3) : bytes.toString('utf8');
  }
  try {
    return utf8.decode(bytes);
  } catch (cause) {
    throw new ValidationError('log record is not valid UTF-8', { cause });
  }
}

function hasByteOrderMark(bytes: Buffer): boolean {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}
