/**
 * Rows of the `logs` table: one per Kafka record of topic `logs` that parsed as a log line.
 * Unique on (topic, partition, kafka_offset): a redelivered record adds nothing.
 */
import type { Session } from './transaction.js';
import { chunks, type InsertCounts } from './insert-counts.js';
import type { KafkaCoordinates } from './kafka-coordinates.js';
import {
  optionalText,
  optionalTimestampMs,
  requireOffset,
  requirePartition,
  requireText,
  requireTimestampMs,
  type Timestamp,
} from './input-checks.js';
import { encodeInt4Array, encodeInt8Array, encodeTextArray, encodeTimestampArray } from './binary-arrays.js';

export interface NewLog extends KafkaCoordinates {
  /** The producer's id for the line (not unique: the Kafka coordinates are the identity). */
  readonly logId: string;
  /** When the line was logged (the record's own timestamp). */
  readonly ts: Timestamp;
  readonly service: string;
  readonly level: string;
  readonly message: string;
  readonly host: string | null;
  readonly traceId: string | null;
  readonly experimentId: string | null;
  readonly producerId: string | null;
  /** Ground truth from the record header ("normal"/"anomaly"...): for evaluation only, never a feature. */
  readonly label: string | null;
  /** When the producer sent the record (Kafka timestamp), if known. */
  readonly producedAt: Timestamp | null;
}

/**
 * A NewLog validated and made storable: text with NUL and lone surrogates replaced, coordinates
 * range-checked, timestamps checked (years 1..9999) and read into ms. Only the constructor makes
 * one, so a LogRow is known to be valid: storeDetectorBatch takes it as it is (the detector checks
 * each record once, when it maps it, and hands the rows over). `ts` and `producedAt` keep the
 * caller's values (so a LogRow is still a NewLog); their instants are `tsMs` and `producedAtMs`.
 */
export class LogRow implements NewLog {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly logId: string;
  readonly ts: Timestamp;
  readonly service: string;
  readonly level: string;
  readonly message: string;
  readonly host: string | null;
  readonly traceId: string | null;
  readonly experimentId: string | null;
  readonly producerId: string | null;
  readonly label: string | null;
  readonly producedAt: Timestamp | null;
  /** `ts` in ms since the Unix epoch (an integer). */
  readonly tsMs: number;
  /** `producedAt` in ms since the Unix epoch, or null. */
  readonly producedAtMs: number | null;

  /** Throws ValidationError naming the field (`what` names the row, e.g. "logs[3]"). */
  constructor(log: NewLog, what: string) {
    // Field by field, not via checkCoordinates + spread: V8 keeps one fast object shape this way.
    this.topic = requireText(log?.topic, `${what}.topic`);
    this.partition = requirePartition(log.partition, `${what}.partition`);
    this.offset = requireOffset(log.offset, `${what}.offset`);
    this.logId = requireText(log.logId, `${what}.logId`, { allowEmpty: true });
    this.ts = log.ts;
    this.tsMs = requireTimestampMs(log.ts, `${what}.ts`);
    this.service = requireText(log.service, `${what}.service`);
    this.level = requireText(log.level, `${what}.level`);
    this.message = requireText(log.message, `${what}.message`, { allowEmpty: true });
    this.host = optionalText(log.host, `${what}.host`);
    this.traceId = optionalText(log.traceId, `${what}.traceId`);
    this.experimentId = optionalText(log.experimentId, `${what}.experimentId`);
    this.producerId = optionalText(log.producerId, `${what}.producerId`);
    this.label = optionalText(log.label, `${what}.label`);
    this.producedAt = log.producedAt ?? null;
    this.producedAtMs = optionalTimestampMs(log.producedAt, `${what}.producedAt`);
  }
}

/** The validated row for `log`: a LogRow is returned as it is, anything else is checked. */
export function toLogRow(log: NewLog, what: string): LogRow {
  return log instanceof LogRow ? log : new LogRow(log, what);
}

const INSERT_LOGS = `
  INSERT INTO logs (log_id, ts, service, level, message, host, trace_id, experiment_id, producer_id, label,
                    topic, partition, kafka_offset, produced_at)
  SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                       $8::text[], $9::text[], $10::text[], $11::text[], $12::integer[], $13::bigint[], $14::timestamptz[])
  ON CONFLICT (topic, partition, kafka_offset) DO NOTHING`;

/**
 * Inserts rows (already sorted by coordinates) inside the caller's transaction. Parameters are
 * binary arrays (binary-arrays.ts): no element is ever parsed as SQL or array syntax.
 */
export async function insertLogRows(session: Session, rows: readonly LogRow[]): Promise<InsertCounts> {
  let inserted = 0;
  for (const chunk of chunks(rows)) {
    const result = await session.query(INSERT_LOGS, [
      encodeTextArray(chunk.map((r) => r.logId)),
      encodeTimestampArray(chunk.map((r) => r.tsMs)),
      encodeTextArray(chunk.map((r) => r.service)),
      encodeTextArray(chunk.map((r) => r.level)),
      encodeTextArray(chunk.map((r) => r.message)),
      encodeTextArray(chunk.map((r) => r.host)),
      encodeTextArray(chunk.map((r) => r.traceId)),
      encodeTextArray(chunk.map((r) => r.experimentId)),
      encodeTextArray(chunk.map((r) => r.producerId)),
      encodeTextArray(chunk.map((r) => r.label)),
      encodeTextArray(chunk.map((r) => r.topic)),
      encodeInt4Array(chunk.map((r) => r.partition)),
      encodeInt8Array(chunk.map((r) => r.offset)),
      encodeTimestampArray(chunk.map((r) => r.producedAtMs)),
    ]);
    inserted += result.rowCount ?? 0;
  }
  return { inserted, alreadyPresent: rows.length - inserted };
}
