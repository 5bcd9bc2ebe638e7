import type { NewDeadLetter } from '../shared/db/index.js';
import type { DecodedKafkaRecord, KafkaRecordHeader } from '../shared/kafka/index.js';

/** Which component the detector's dead letters are filed under. */
export const DETECTOR_COMPONENT = 'detector';

/**
 * Most raw bytes kept per key or value of a dead letter (128 KiB). A decoded record is already
 * capped by parseKafkaEvent (64 KiB value, 4 KiB key); a record that could not be decoded is kept
 * as the JSON it arrived as, which for a 64 KiB value is about 88 KiB of base64.
 */
export const MAX_DEAD_LETTER_RAW_BYTES = 128 * 1024;

/** Where a dead letter goes: the record's Kafka coordinates, offset as a safe integer. */
export interface StorableCoordinates {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/**
 * A record whose bytes decoded but whose content was refused (not a log record, hostile, …):
 * its key and value bytes as they arrived, its headers as `{ key, valueBase64 }`.
 */
export function deadLetterForDecoded(record: DecodedKafkaRecord, coordinates: StorableCoordinates, reason: string): NewDeadLetter {
  const key = capBytes(record.key);
  const value = capBytes(record.value);
  return {
    ...coordinates,
    rawKey: key.bytes,
    rawValue: value.bytes,
    headers: record.headers.map(headerJson),
    reason: reason + truncationNote(key, 'key') + truncationNote(value, 'value'),
    component: DETECTOR_COMPONENT,
  };
}

/**
 * A record of the event that could not be decoded at all (bad base64, header bytes out of range,
 * a value over the size cap, not an object, …). Its value column holds the record's JSON exactly
 * as the event carried it, since there are no decoded bytes to keep.
 */
export function deadLetterForMalformed(raw: unknown, coordinates: StorableCoordinates, reason: string): NewDeadLetter {
  const value = capBytes(rawRecordJson(raw));
  return {
    ...coordinates,
    rawKey: null,
    rawValue: value.bytes,
    headers: [],
    reason: `event record could not be decoded: ${reason}; raw_value holds the record's JSON as the event carried it${truncationNote(value, 'record JSON')}`,
    component: DETECTOR_COMPONENT,
  };
}

function headerJson(header: KafkaRecordHeader): { key: string; valueBase64: string | null } {
  return { key: header.key, valueBase64: header.value === null ? null : header.value.toString('base64') };
}

function rawRecordJson(raw: unknown): Buffer {
  let text: string | undefined;
  try {
    text = JSON.stringify(raw);
  } catch {
    text = undefined; // a cycle or a bigint: only possible for events built in-process
  }
  return Buffer.from(text ?? String(raw), 'utf8');
}

interface Capped {
  readonly bytes: Buffer | null;
  readonly originalBytes: number;
}

function capBytes(bytes: Buffer | null): Capped {
  if (bytes === null) return { bytes: null, originalBytes: 0 };
  return { bytes: bytes.length > MAX_DEAD_LETTER_RAW_BYTES ? bytes.subarray(0, MAX_DEAD_LETTER_RAW_BYTES) : bytes, originalBytes: bytes.length };
}

function truncationNote(capped: Capped, what: string): string {
  return capped.bytes !== null && capped.bytes.length < capped.originalBytes
    ? ` (${what} truncated to ${capped.bytes.length} of ${capped.originalBytes} bytes)`
    : '';
}
