/**
 * Rows of the `logs` table: one per Kafka record of topic `logs` that parsed as a log line.
 * Unique on (topic, partition, kafka_offset): a redelivered record adds nothing.
 */
import type { Session } from './transaction.js';
import { chunks, type InsertCounts } from './insert-counts.js';
import { checkCoordinates, type KafkaCoordinates } from './kafka-coordinates.js';
import { optionalText, optionalTimestamp, requireText, requireTimestamp, type Timestamp } from './input-checks.js';

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

/** A NewLog validated and normalised for SQL (timestamps as ISO text, text made storable). */
export interface LogRow extends KafkaCoordinates {
  readonly logId: string;
  readonly ts: string;
  readonly service: string;
  readonly level: string;
  readonly message: string;
  readonly host: string | null;
  readonly traceId: string | null;
  readonly experimentId: string | null;
  readonly producerId: string | null;
  readonly label: string | null;
  readonly producedAt: string | null;
}

export function toLogRow(log: NewLog, what: string): LogRow {
  // Explicit fields, not `...checkCoordinates()`: a spread followed by many new properties is a
  // slow path in V8 (measured ~10× slower per row).
  const coordinates = checkCoordinates(log, what);
  return {
    topic: coordinates.topic,
    partition: coordinates.partition,
    offset: coordinates.offset,
    logId: requireText(log.logId, `${what}.logId`, { allowEmpty: true }),
    ts: requireTimestamp(log.ts, `${what}.ts`),
    service: requireText(log.service, `${what}.service`),
    level: requireText(log.level, `${what}.level`),
    message: requireText(log.message, `${what}.message`, { allowEmpty: true }),
    host: optionalText(log.host, `${what}.host`),
    traceId: optionalText(log.traceId, `${what}.traceId`),
    experimentId: optionalText(log.experimentId, `${what}.experimentId`),
    producerId: optionalText(log.producerId, `${what}.producerId`),
    label: optionalText(log.label, `${what}.label`),
    producedAt: optionalTimestamp(log.producedAt, `${what}.producedAt`),
  };
}

const INSERT_LOGS = `
  INSERT INTO logs (log_id, ts, service, level, message, host, trace_id, experiment_id, producer_id, label,
                    topic, partition, kafka_offset, produced_at)
  SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                       $8::text[], $9::text[], $10::text[], $11::text[], $12::integer[], $13::bigint[], $14::timestamptz[])
  ON CONFLICT (topic, partition, kafka_offset) DO NOTHING`;

/** Inserts rows (already sorted by coordinates) inside the caller's transaction. */
export async function insertLogRows(session: Session, rows: readonly LogRow[]): Promise<InsertCounts> {
  let inserted = 0;
  for (const chunk of chunks(rows)) {
    const result = await session.query(INSERT_LOGS, [
      chunk.map((r) => r.logId),
      chunk.map((r) => r.ts),
      chunk.map((r) => r.service),
      chunk.map((r) => r.level),
      chunk.map((r) => r.message),
      chunk.map((r) => r.host),
      chunk.map((r) => r.traceId),
      chunk.map((r) => r.experimentId),
      chunk.map((r) => r.producerId),
      chunk.map((r) => r.label),
      chunk.map((r) => r.topic),
      chunk.map((r) => r.partition),
      chunk.map((r) => r.offset),
      chunk.map((r) => r.producedAt),
    ]);
    inserted += result.rowCount ?? 0;
  }
  return { inserted, alreadyPresent: rows.length - inserted };
}
