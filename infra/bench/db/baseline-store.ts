/**
 * The detector batch store as it was before the lean-write work (node-postgres array parameters,
 * text timestamps, every log validated twice), kept so `bench:db` can measure old against new
 * on the same machine in the same run. Logs and anomalies only: the bench sends no dead letters.
 * Not used by the pipeline.
 */
import { ValidationError } from '../../../functions/shared/errors.js';
import type { Db } from '../../../functions/shared/db/pool.js';
import { withTransaction, type Session } from '../../../functions/shared/db/transaction.js';
import { withDatabaseErrors } from '../../../functions/shared/db/database-errors.js';
import { chunks, type InsertCounts } from '../../../functions/shared/db/insert-counts.js';
import { checkCoordinates, compareCoordinates, coordinatesKey, type KafkaCoordinates } from '../../../functions/shared/db/kafka-coordinates.js';
import { optionalText, requireFiniteNumber, requireText } from '../../../functions/shared/db/input-checks.js';
import { toJsonbText } from '../../../functions/shared/db/text-safety.js';
import type { NewLog } from '../../../functions/shared/db/log-rows.js';
import type { NewAnomaly } from '../../../functions/shared/db/anomaly-rows.js';

interface BaselineLogRow extends KafkaCoordinates {
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

interface BaselineAnomalyRow extends KafkaCoordinates {
  readonly score: number;
  readonly threshold: number;
  readonly modelVersion: string;
  readonly features: string;
  readonly contributions: string;
  readonly detectedAt: string | null;
  readonly experimentId: string | null;
}

/** The old timestamp check: parse, check the year, format back to ISO text. */
function baselineTimestamp(value: unknown, what: string): string {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : null;
  if (date === null) throw new ValidationError(`${what} must be a Date or an ISO 8601 string`);
  const year = date.getUTCFullYear();
  if (Number.isNaN(date.getTime()) || year < 1 || year > 9999) throw new ValidationError(`${what} is not a valid timestamp between years 1 and 9999`);
  return date.toISOString();
}

function optionalBaselineTimestamp(value: unknown, what: string): string | null {
  return value === null || value === undefined ? null : baselineTimestamp(value, what);
}

/** The old toLogRow (the detector called it once per record in map-record, then again here). */
export function baselineToLogRow(log: NewLog, what: string): BaselineLogRow {
  const coordinates = checkCoordinates(log, what);
  return {
    topic: coordinates.topic,
    partition: coordinates.partition,
    offset: coordinates.offset,
    logId: requireText(log.logId, `${what}.logId`, { allowEmpty: true }),
    ts: baselineTimestamp(log.ts, `${what}.ts`),
    service: requireText(log.service, `${what}.service`),
    level: requireText(log.level, `${what}.level`),
    message: requireText(log.message, `${what}.message`, { allowEmpty: true }),
    host: optionalText(log.host, `${what}.host`),
    traceId: optionalText(log.traceId, `${what}.traceId`),
    experimentId: optionalText(log.experimentId, `${what}.experimentId`),
    producerId: optionalText(log.producerId, `${what}.producerId`),
    label: optionalText(log.label, `${what}.label`),
    producedAt: optionalBaselineTimestamp(log.producedAt, `${what}.producedAt`),
  };
}

function baselineToAnomalyRow(anomaly: NewAnomaly, what: string): BaselineAnomalyRow {
  const coordinates = checkCoordinates(anomaly, what);
  return {
    topic: coordinates.topic,
    partition: coordinates.partition,
    offset: coordinates.offset,
    score: requireFiniteNumber(anomaly.score, `${what}.score`),
    threshold: requireFiniteNumber(anomaly.threshold, `${what}.threshold`),
    modelVersion: requireText(anomaly.modelVersion, `${what}.modelVersion`),
    features: toJsonbText(anomaly.features, `${what}.features`),
    contributions: toJsonbText(anomaly.contributions, `${what}.contributions`),
    detectedAt: optionalBaselineTimestamp(anomaly.detectedAt, `${what}.detectedAt`),
    experimentId: optionalText(anomaly.experimentId, `${what}.experimentId`),
  };
}

const INSERT_LOGS = `
  INSERT INTO logs (log_id, ts, service, level, message, host, trace_id, experiment_id, producer_id, label,
                    topic, partition, kafka_offset, produced_at)
  SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                       $8::text[], $9::text[], $10::text[], $11::text[], $12::integer[], $13::bigint[], $14::timestamptz[])
  ON CONFLICT (topic, partition, kafka_offset) DO NOTHING`;

const INSERT_ANOMALIES = `
  INSERT INTO anomalies (log_pk, score, threshold, model_version, features, contributions, detected_at, experiment_id)
  SELECT l.id, a.score, a.threshold, a.model_version, a.features::jsonb, a.contributions::jsonb,
         COALESCE(a.detected_at, now()), a.experiment_id
  FROM unnest($1::text[], $2::integer[], $3::bigint[], $4::float8[], $5::float8[], $6::text[], $7::text[],
              $8::text[], $9::timestamptz[], $10::text[])
       AS a(topic, partition, kafka_offset, score, threshold, model_version, features, contributions, detected_at, experiment_id)
  JOIN logs l ON l.topic = a.topic AND l.partition = a.partition AND l.kafka_offset = a.kafka_offset
  ORDER BY l.id
  ON CONFLICT (log_pk) DO NOTHING`;

async function insertLogs(session: Session, rows: readonly BaselineLogRow[]): Promise<number> {
  let inserted = 0;
  for (const chunk of chunks(rows)) {
    const result = await session.query(INSERT_LOGS, [
      chunk.map((r) => r.logId), chunk.map((r) => r.ts), chunk.map((r) => r.service), chunk.map((r) => r.level),
      chunk.map((r) => r.message), chunk.map((r) => r.host), chunk.map((r) => r.traceId), chunk.map((r) => r.experimentId),
      chunk.map((r) => r.producerId), chunk.map((r) => r.label), chunk.map((r) => r.topic), chunk.map((r) => r.partition),
      chunk.map((r) => r.offset), chunk.map((r) => r.producedAt),
    ]);
    inserted += result.rowCount ?? 0;
  }
  return inserted;
}

async function insertAnomalies(session: Session, rows: readonly BaselineAnomalyRow[]): Promise<number> {
  let inserted = 0;
  for (const chunk of chunks(rows)) {
    const result = await session.query(INSERT_ANOMALIES, [
      chunk.map((r) => r.topic), chunk.map((r) => r.partition), chunk.map((r) => r.offset), chunk.map((r) => r.score),
      chunk.map((r) => r.threshold), chunk.map((r) => r.modelVersion), chunk.map((r) => r.features),
      chunk.map((r) => r.contributions), chunk.map((r) => r.detectedAt), chunk.map((r) => r.experimentId),
    ]);
    inserted += result.rowCount ?? 0;
  }
  return inserted;
}

/** The old storeDetectorBatch for logs and anomalies: returns the counts of inserted rows. */
export async function baselineStoreBatch(
  db: Db,
  logs: readonly NewLog[],
  anomalies: readonly NewAnomaly[],
): Promise<{ logs: InsertCounts; anomalies: InsertCounts }> {
  const logRows = logs.map((log, i) => baselineToLogRow(log, `logs[${i}]`)).sort(compareCoordinates);
  const anomalyRows = anomalies.map((anomaly, i) => baselineToAnomalyRow(anomaly, `anomalies[${i}]`)).sort(compareCoordinates);
  const logKeys = new Set(logRows.map(coordinatesKey));
  if (anomalyRows.some((anomaly) => !logKeys.has(coordinatesKey(anomaly)))) throw new ValidationError('an anomaly names no log of this batch');
  return withDatabaseErrors('baselineStoreBatch', () =>
    withTransaction(db, async (session) => {
      const insertedLogs = await insertLogs(session, logRows);
      const insertedAnomalies = anomalyRows.length > 0 ? await insertAnomalies(session, anomalyRows) : 0;
      return {
        logs: { inserted: insertedLogs, alreadyPresent: logRows.length - insertedLogs },
        anomalies: { inserted: insertedAnomalies, alreadyPresent: anomalyRows.length - insertedAnomalies },
      };
    }),
  );
}
