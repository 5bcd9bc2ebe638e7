import type { NewDeadLetter } from '../db/index.js';
import type { DecodedKafkaRecord, MalformedKafkaRecord } from '../kafka/index.js';

/** Where a dead letter goes: the record's Kafka coordinates, offset already checked to be a safe integer. */
export interface StorableCoordinates {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/** Who files the dead letter (dead_letters.component) and how many raw bytes it keeps per key, value and header. */
export interface DeadLetterPolicy {
  readonly component: string;
  readonly maxRawBytes: number;
}

/**
 * A dead letter for a record whose bytes decoded but whose content was refused: its key, value
 * and header bytes as they arrived (each cut to `maxRawBytes`, the reason says so), headers as
 * `[{ key, valueBase64 }]`.
 */
export function deadLetterForDecoded(record: DecodedKafkaRecord, at: StorableCoordinates, reason: string, policy: DeadLetterPolicy): NewDeadLetter {
  const key = cut(record.key, policy.maxRawBytes);
  const value = cut(record.value, policy.maxRawBytes);
  return {
    ...at,
    rawKey: key.bytes,
    rawValue: value.bytes,
    headers: record.headers.map((header) => ({
      key: header.key,
      valueBase64: header.value === null ? null : header.value.subarray(0, policy.maxRawBytes).toString('base64'),
    })),
    reason: withNotes(reason, [key.note('key'), value.note('value')]),
    component: policy.component,
  };
}

/**
 * A dead letter for a record the event parser could not decode (bad base64, header bytes out of
 * range, an oversize value, …). Its bytes are unknown, so raw_value holds the record as it
 * arrived in the event, as JSON text.
 */
export function deadLetterForMalformed(record: Pick<MalformedKafkaRecord, 'raw' | 'reason'>, at: StorableCoordinates, policy: DeadLetterPolicy): NewDeadLetter {
  const asArrived = cut(Buffer.from(jsonText(record.raw), 'utf8'), policy.maxRawBytes);
  return {
    ...at,
    rawKey: null,
    rawValue: asArrived.bytes,
    headers: [],
    reason: withNotes(`undecodable Kafka record: ${record.reason}; raw_value holds the record as it arrived in the event (JSON)`, [asArrived.note('value')]),
    component: policy.component,
  };
}

function withNotes(reason: string, notes: (string | null)[]): string {
  const present = notes.filter((note) => note !== null);
  return present.length === 0 ? reason : `${reason} (${present.join('; ')})`;
}

/** The record as JSON; events come from JSON, but a caller's object might hold a cycle or a bigint. */
function jsonText(raw: unknown): string {
  try {
    return JSON.stringify(raw) ?? 'null';
  } catch {
    return '"(the record could not be written as JSON)"';
  }
}

function cut(bytes: Buffer | null, maxBytes: number): { bytes: Buffer | null; note: (what: string) => string | null } {
  if (bytes === null || bytes.length <= maxBytes) return { bytes, note: () => null };
  return { bytes: bytes.subarray(0, maxBytes), note: (what) => `raw ${what} cut to ${maxBytes} of ${bytes.length} bytes` };
}
