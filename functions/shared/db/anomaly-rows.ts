/**
 * Rows of the `anomalies` table: at most one per stored log (unique log_pk). An anomaly names its
 * log by Kafka coordinates; the insert joins on `logs`, so it works whether the log row was inserted
 * by this batch or by an earlier delivery of the same records.
 */
import type { Session } from './transaction.js';
import { chunks, type InsertCounts } from './insert-counts.js';
import { checkCoordinates, type KafkaCoordinates } from './kafka-coordinates.js';
import { optionalText, optionalTimestampMs, requireFiniteNumber, requireText, type Timestamp } from './input-checks.js';
import { jsonbText } from './jsonb-text.js';
import { encodeFloat8Array, encodeInt4Array, encodeInt8Array, encodeTextArray, encodeTimestampArray } from './binary-arrays.js';

export interface NewAnomaly extends KafkaCoordinates {
  /** Isolation Forest anomaly score (higher = more anomalous). */
  readonly score: number;
  /** The model's decision threshold the score exceeded. */
  readonly threshold: number;
  readonly modelVersion: string;
  /** Feature values the model scored, by feature name. */
  readonly features: Readonly<Record<string, number>>;
  /** Which features drove the score (any JSON: e.g. [{ feature, contribution }]). */
  readonly contributions: unknown;
  /** Defaults to the database's now(). */
  readonly detectedAt?: Timestamp | null;
  readonly experimentId: string | null;
}

/** A NewAnomaly validated for SQL: JSON as storable text, detectedAt as ms since the Unix epoch. */
export interface AnomalyRow extends KafkaCoordinates {
  readonly score: number;
  readonly threshold: number;
  readonly modelVersion: string;
  readonly features: string;
  readonly contributions: string;
  readonly detectedAtMs: number | null;
  readonly experimentId: string | null;
}

export function toAnomalyRow(anomaly: NewAnomaly, what: string): AnomalyRow {
  const coordinates = checkCoordinates(anomaly, what);
  return {
    topic: coordinates.topic,
    partition: coordinates.partition,
    offset: coordinates.offset,
    score: requireFiniteNumber(anomaly.score, `${what}.score`),
    threshold: requireFiniteNumber(anomaly.threshold, `${what}.threshold`),
    modelVersion: requireText(anomaly.modelVersion, `${what}.modelVersion`),
    features: jsonbText(anomaly.features, `${what}.features`),
    contributions: jsonbText(anomaly.contributions, `${what}.contributions`),
    detectedAtMs: optionalTimestampMs(anomaly.detectedAt, `${what}.detectedAt`),
    experimentId: optionalText(anomaly.experimentId, `${what}.experimentId`),
  };
}

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

/** Inserts rows whose logs are already stored, inside the caller's transaction (binary array parameters). */
export async function insertAnomalyRows(session: Session, rows: readonly AnomalyRow[]): Promise<InsertCounts> {
  return runInChunks(session, INSERT_ANOMALIES, rows, (chunk) => [...anomalyArrays(chunk), encodeTextArray(chunk.map((r) => r.experimentId))]);
}

/** $1–$9 of both statements: coordinates, verdict and detection time, as binary arrays. */
function anomalyArrays(chunk: readonly AnomalyRow[]): Buffer[] {
  return [
    encodeTextArray(chunk.map((r) => r.topic)),
    encodeInt4Array(chunk.map((r) => r.partition)),
    encodeInt8Array(chunk.map((r) => r.offset)),
    encodeFloat8Array(chunk.map((r) => r.score)),
    encodeFloat8Array(chunk.map((r) => r.threshold)),
    encodeTextArray(chunk.map((r) => r.modelVersion)),
    encodeTextArray(chunk.map((r) => r.features)),
    encodeTextArray(chunk.map((r) => r.contributions)),
    encodeTimestampArray(chunk.map((r) => r.detectedAtMs)),
  ];
}

/** Runs `sql` per chunk of `rows`; inserted = rows the statements touched. */
async function runInChunks(session: Session, sql: string, rows: readonly AnomalyRow[], parameters: (chunk: readonly AnomalyRow[]) => Buffer[]): Promise<InsertCounts> {
  let inserted = 0;
  for (const chunk of chunks(rows)) inserted += (await session.query(sql, parameters(chunk))).rowCount ?? 0;
  return { inserted, alreadyPresent: rows.length - inserted };
}

/**
 * A late anomaly: a log of an EARLIER batch that records after it made anomalous, or more so
 * (late verdicts, docs/detection.md). It lands on the stored log by its coordinates; where the log
 * has an anomaly already, the higher score stands (with its threshold, model, features and
 * contributions), never the lower, so the rows do not depend on the order verdicts arrive in or on
 * a redelivery. Its experiment is the log's own. A log no longer stored (retention) gets nothing.
 */
const UPSERT_LATE_ANOMALIES = `
  INSERT INTO anomalies (log_pk, score, threshold, model_version, features, contributions, detected_at, experiment_id)
  SELECT l.id, a.score, a.threshold, a.model_version, a.features::jsonb, a.contributions::jsonb,
         COALESCE(a.detected_at, now()), l.experiment_id
  FROM unnest($1::text[], $2::integer[], $3::bigint[], $4::float8[], $5::float8[], $6::text[], $7::text[],
              $8::text[], $9::timestamptz[])
       AS a(topic, partition, kafka_offset, score, threshold, model_version, features, contributions, detected_at)
  JOIN logs l ON l.topic = a.topic AND l.partition = a.partition AND l.kafka_offset = a.kafka_offset
  ORDER BY l.id
  ON CONFLICT (log_pk) DO UPDATE
    SET score = EXCLUDED.score, threshold = EXCLUDED.threshold, model_version = EXCLUDED.model_version,
        features = EXCLUDED.features, contributions = EXCLUDED.contributions, detected_at = EXCLUDED.detected_at
    WHERE EXCLUDED.score > anomalies.score`;

/**
 * Stores late anomalies inside the caller's transaction: `inserted` counts rows added or raised,
 * `alreadyPresent` the verdicts an anomaly at least as high already covered (or whose log is gone).
 */
export async function upsertLateAnomalyRows(session: Session, rows: readonly AnomalyRow[]): Promise<InsertCounts> {
  return runInChunks(session, UPSERT_LATE_ANOMALIES, rows, anomalyArrays);
}
