import type { NewDeadLetter } from '../../shared/db/index.js';
import type { DecodedKafkaRecord, MalformedKafkaRecord } from '../../shared/kafka/index.js';

/** Who the aggregator's dead letters are from (dead_letters.component). */
export const aggregatorComponent = 'metrics-aggregator';

/**
 * Raw bytes kept per key, value and header value of a dead letter. Metric records are small
 * (at most 64 KiB); a refused record's first 16 KiB is enough to see what went wrong.
 */
export const maxDeadLetterBytes = 16 * 1024;

/** Coordinates already checked to be storable (offset a safe integer). */
export interface StorableCoordinates {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/**
 * A dead letter for a record that decoded but is not a storable metric record: its key and value
 * bytes (each cut to maxDeadLetterBytes) and its headers as [{ key, valueBase64 }].
 */
export function deadLetterForDecoded(record: DecodedKafkaRecord, at: StorableCoordinates, reason: string): NewDeadLetter {
  const key = cut(record.key);
  const value = cut(record.value);
  const notes = [key.note('key'), value.note('value')].filter((note) => note !== null);
  return {
    ...at,
    rawKey: key.bytes,
    rawValue: value.bytes,
    headers: record.headers.map((header) => ({
      key: header.key,
      valueBase64: header.value === null ? null : header.value.subarray(0, maxDeadLetterBytes).toString('base64'),
    })),
    reason: notes.length === 0 ? reason : `${reason} (${notes.join('; ')})`,
    component: aggregatorComponent,
  };
}

/**
 * A dead letter for a record the event parser could not decode (bad base64, oversize value, …).
 * Its bytes are unknown, so raw_value holds the record as it arrived in the event, as JSON text.
 */
export function deadLetterForMalformed(record: MalformedKafkaRecord, at: StorableCoordinates): NewDeadLetter {
  const asArrived = cut(Buffer.from(jsonText(record.raw), 'utf8'));
  const note = asArrived.note('value');
  const reason = `undecodable Kafka record: ${record.reason}; raw_value holds the record as it arrived in the event (JSON)`;
  return {
    ...at,
    rawKey: null,
    rawValue: asArrived.bytes,
    headers: [],
    reason: note === null ? reason : `${reason} (${note})`,
    component: aggregatorComponent,
  };
}

/** The record as JSON; events come from JSON, but a caller's object might hold a cycle or a bigint. */
function jsonText(raw: unknown): string {
  try {
    return JSON.stringify(raw) ?? 'null';
  } catch {
    return '"(the record could not be written as JSON)"';
  }
}

function cut(bytes: Buffer | null): { bytes: Buffer | null; note: (what: string) => string | null } {
  if (bytes === null || bytes.length <= maxDeadLetterBytes) return { bytes, note: () => null };
  return {
    bytes: bytes.subarray(0, maxDeadLetterBytes),
    note: (what) => `raw ${what} cut to ${maxDeadLetterBytes} of ${bytes.length} bytes`,
  };
}
