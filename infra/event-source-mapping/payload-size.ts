import { buildKafkaEvent, type KafkaEventTarget, type KafkaRecordInput } from '../../functions/shared/kafka/index.js';

/** AWS Lambda's synchronous invoke payload limit: 6 MB (6 × 2^20 bytes). */
export const maxInvokePayloadBytes = 6 * 1024 * 1024;

/**
 * Measures what records add to the serialized `aws:kafka` payload (UTF-8 bytes of its JSON),
 * so a batch can be sized without re-serializing it per record.
 * Invariant: baseBytes + Σ slotBytes(new slots) + Σ recordBytes ≥ the exact payload size, and
 * exceeds it by at most one byte per slot plus one (the trailing commas it counts).
 */
export interface PayloadSizer {
  /** The payload with no records. */
  readonly baseBytes: number;
  /** `"<topic>-<partition>":[]` plus a separating comma. */
  slotBytes(slot: string): number;
  /** The encoded record plus a separating comma. */
  recordBytes(record: KafkaRecordInput): number;
}

export function kafkaPayloadSizer(target: KafkaEventTarget): PayloadSizer {
  return {
    baseBytes: serializedBytes(buildKafkaEvent(target, [])),
    slotBytes: (slot) => Buffer.byteLength(JSON.stringify(slot)) + 4,
    recordBytes: (record) => encodedRecordBytes(record) + 1,
  };
}

/**
 * The UTF-8 length of JSON.stringify(the record as buildKafkaEvent encodes it), computed without
 * encoding it (base64 and header byte arrays are what a batch costs to build; sizing every record
 * by building it doubled that work). Checked against the real encoding in the tests.
 */
export function encodedRecordBytes(record: KafkaRecordInput): number {
  // {"topic":…,"partition":…,"offset":…,"timestamp":…,"timestampType":"…",["key":"…",]["value":"…",]"headers":[…]}
  let bytes = 2 + '"topic":'.length + jsonBytes(record.topic) + ',"partition":'.length + digits(record.partition) + ',"offset":'.length + digits(record.offset);
  bytes += ',"timestamp":'.length + digits(record.timestamp) + ',"timestampType":'.length + jsonBytes(record.timestampType ?? 'CREATE_TIME');
  const key = rawLength(record.key ?? null);
  if (key !== null) bytes += ',"key":'.length + base64Length(key);
  const value = rawLength(record.value);
  if (value !== null) bytes += ',"value":'.length + base64Length(value);
  bytes += ',"headers":['.length + 1;
  const headers = record.headers ?? [];
  headers.forEach((header, index) => {
    if (index > 0) bytes += 1;
    bytes += 2 + jsonBytes(header.key) + 1 + byteArrayJsonLength(header.value);
  });
  return bytes;
}

/** JSON sizes of the short texts every record repeats (topic, timestamp type, header keys); bounded. */
const jsonBytesCache = new Map<string, number>();
const CACHED_TEXT_CHARS = 255;
const CACHED_TEXTS = 1024;

function jsonBytes(text: string): number {
  const known = jsonBytesCache.get(text);
  if (known !== undefined) return known;
  const bytes = Buffer.byteLength(JSON.stringify(text));
  if (text.length <= CACHED_TEXT_CHARS && jsonBytesCache.size < CACHED_TEXTS) jsonBytesCache.set(text, bytes);
  return bytes;
}

/** JSON of a finite number as JSON.stringify writes it (counted without a string for safe non-negative integers). */
function digits(value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) return String(value).length;
  let count = 1;
  for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) count++;
  return count;
}

function rawLength(value: Buffer | string | null): number | null {
  return value === null ? null : typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}

/** A quoted padded base64 string of `length` bytes. */
function base64Length(length: number): number {
  return 2 + 4 * Math.ceil(length / 3);
}

/** `null`, or `[b,b,…]` with each byte in decimal. */
function byteArrayJsonLength(value: Buffer | string | null): number {
  if (value === null) return 4;
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  let length = 2 + Math.max(0, bytes.length - 1);
  for (const byte of bytes) length += byte < 10 ? 1 : byte < 100 ? 2 : 3;
  return length;
}

/** The exact size of a payload as an invoke would send it. */
export function serializedBytes(payload: unknown): number {
  return Buffer.byteLength(JSON.stringify(payload));
}

export function slotOf(record: Pick<KafkaRecordInput, 'topic' | 'partition'>): string {
  return `${record.topic}-${record.partition}`;
}
