import type { KafkaRecordHeader } from './kafka-event-types.js';

export interface HeaderLimits {
  maxHeaders: number;
  maxHeaderKeyChars: number;
  maxHeaderValueBytes: number;
}

/**
 * Decodes Lambda's header encoding: an array of objects, each mapping a header key to an array
 * of byte values ([{"x-anomaly-label":[110,111,110,101]}]). Absent or null headers are none.
 * Errors never quote keys or values.
 */
export function decodeHeaders(raw: unknown, limits: HeaderLimits): KafkaRecordHeader[] | { error: string } {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) return { error: 'headers are not an array' };
  const headers: KafkaRecordHeader[] = [];
  for (const [index, entry] of raw.entries()) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return { error: `header entry ${index} is not an object` };
    for (const [key, bytes] of Object.entries(entry as Record<string, unknown>)) {
      if (headers.length >= limits.maxHeaders) return { error: `more than ${limits.maxHeaders} headers` };
      if (key.length === 0 || key.length > limits.maxHeaderKeyChars) return { error: `header entry ${index} has a key of ${key.length} characters (allowed 1–${limits.maxHeaderKeyChars})` };
      const value = decodeByteArray(bytes, limits.maxHeaderValueBytes);
      if (value !== null && !Buffer.isBuffer(value)) return { error: `header entry ${index}: ${value.error}` };
      headers.push({ key, value });
    }
  }
  return headers;
}

function decodeByteArray(raw: unknown, maxBytes: number): Buffer | null | { error: string } {
  if (raw === null) return null;
  if (!Array.isArray(raw)) return { error: 'value is not an array of bytes' };
  if (raw.length > maxBytes) return { error: `value is longer than ${maxBytes} bytes` };
  for (const byte of raw) {
    if (typeof byte !== 'number' || !Number.isInteger(byte) || byte < 0 || byte > 255) return { error: 'value holds a number outside 0–255' };
  }
  return Buffer.from(raw as number[]);
}

/** The first header named `key` as UTF-8 text; undefined when absent or without a value. */
export function headerText(headers: readonly KafkaRecordHeader[], key: string): string | undefined {
  return headers.find((header) => header.key === key)?.value?.toString('utf8');
}
