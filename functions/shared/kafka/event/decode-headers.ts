import type { KafkaRecordHeader } from './kafka-event-types.js';

export interface HeaderLimits {
  maxHeaders: number;
  maxHeaderKeyChars: number;
  maxHeaderValueBytes: number;
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Decodes Lambda's header encoding: an array of objects, each mapping a header key to an array
 * of byte values ([{"x-anomaly-label":[110,111,110,101]}]). Absent or null headers are none.
 * Keys are taken in Object.entries order (own enumerable string keys). Errors never quote keys
 * or values.
 */
export function decodeHeaders(raw: unknown, limits: HeaderLimits): KafkaRecordHeader[] | { error: string } {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) return { error: 'headers are not an array' };
  // The first header is held apart so that the common one-header record gets an array of exactly one
  // element rather than one grown by push (which reserves room for 17 and keeps it for the batch).
  let first: KafkaRecordHeader | undefined;
  let more: KafkaRecordHeader[] | undefined;
  let count = 0;
  for (let index = 0; index < raw.length; index++) {
    const entry: unknown = raw[index];
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return { error: `header entry ${index} is not an object` };
    // for…in with an own-property check visits what Object.entries would, in its order, without allocating.
    for (const key in entry) {
      if (!hasOwn.call(entry, key)) continue;
      if (count >= limits.maxHeaders) return { error: `more than ${limits.maxHeaders} headers` };
      if (key.length === 0 || key.length > limits.maxHeaderKeyChars) return { error: `header entry ${index} has a key of ${key.length} characters (allowed 1–${limits.maxHeaderKeyChars})` };
      const value = decodeByteArray((entry as Record<string, unknown>)[key], limits.maxHeaderValueBytes);
      if (value !== null && !Buffer.isBuffer(value)) return { error: `header entry ${index}: ${value.error}` };
      const header: KafkaRecordHeader = { key, value };
      if (count === 0) first = header;
      else if (more === undefined) more = [first as KafkaRecordHeader, header];
      else more.push(header);
      count++;
    }
  }
  return more ?? (first === undefined ? [] : [first]);
}

/** Checks and copies in one pass (Buffer.from(array) costs several times more for short arrays). */
function decodeByteArray(raw: unknown, maxBytes: number): Buffer | null | { error: string } {
  if (raw === null) return null;
  if (!Array.isArray(raw)) return { error: 'value is not an array of bytes' };
  if (raw.length > maxBytes) return { error: `value is longer than ${maxBytes} bytes` };
  const bytes = Buffer.allocUnsafe(raw.length);
  for (let index = 0; index < raw.length; index++) {
    const byte: unknown = raw[index];
    // (byte & 0xff) === byte holds exactly for the integers 0–255 (and -0, stored as 0).
    if (typeof byte !== 'number' || (byte & 0xff) !== byte) return { error: 'value holds a number outside 0–255' };
    bytes[index] = byte;
  }
  return bytes;
}

/** The first header named `key` as UTF-8 text; undefined when absent or without a value. */
export function headerText(headers: readonly KafkaRecordHeader[], key: string): string | undefined {
  return headers.find((header) => header.key === key)?.value?.toString('utf8');
}
