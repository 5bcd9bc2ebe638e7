/**
 * Rows of the `anomalies` table: at most one per stored log (unique log_pk). An anomaly names its
 * log by Kafka coordinates; the insert joins on `logs`, so it works whether the log row was inserted
 * by this batch or by an earlier delivery of the same records. Each insert reports what it really
 * added, by its log's log_rollups key, for the caller's rollups (log-rollups.ts).
 */
import type { Session } from './transaction.js';
import { chunks, type InsertCounts } from './insert-counts.js';
import { checkCoordinates, type KafkaCoordinates } from './kafka-coordinates.js';
import { optionalText, optionalTimestampMs, requireFiniteNumber, requireText, type Timestamp } from './input-checks.js';
import { jsonbText } from './jsonb-text.js';
import { LOG_ROLLUP_KEY_OF_L, type LogRollupDeltas, type LogRollupKey } from './log-rollups.js';
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

/**
 * The insert, and the anomalies it really added (RETURNING: one already stored adds nothing) grouped
 * by their LOG's log_rollups key, in one statement. The join back to `logs` is one primary-key probe
 * per added anomaly (a few in a hundred records).
 */
const INSERT_ANOMALIES = `
  WITH added AS (
    INSERT INTO anomalies (log_pk, score, threshold, model_version, features, contributions, detected_at, experiment_id)
    SELECT l.id, a.score, a.threshold, a.model_version, a.features::jsonb, a.contributions::jsonb,
           COALESCE(a.detected_at, now()), a.experiment_id
    FROM unnest($1::text[], $2::integer[], $3::bigint[], $4::float8[], $5::float8[], $6::text[], $7::text[],
                $8::text[], $9::timestamptz[], $10::text[])
         AS a(topic, partition, kafka_offset, score, threshold, model_version, features, contributions, detected_at, experiment_id)
    JOIN logs l ON l.topic = a.topic AND l.partition = a.partition AND l.kafka_offset = a.kafka_offset
    ORDER BY l.id
    ON CONFLICT (log_pk) DO NOTHING
    RETURNING log_pk)
  SELECT ${LOG_ROLLUP_KEY_OF_L}, count(*)::int AS added, 0 AS raised
  FROM added JOIN logs l ON l.id = added.log_pk
  GROUP BY 1, 2, 3, 4, 5`;

/**
 * Inserts rows whose logs are already stored, inside the caller's transaction (binary array
 * parameters), adding what it inserted to `rollups` (the caller applies them before it commits).
 */
export async function insertAnomalyRows(session: Session, rows: readonly AnomalyRow[], rollups: LogRollupDeltas): Promise<InsertCounts> {
  const { added } = await runInChunks(session, INSERT_ANOMALIES, rows, rollups, (chunk) => [...anomalyArrays(chunk), encodeTextArray(chunk.map((r) => r.experimentId))]);
  return { inserted: added, alreadyPresent: rows.length - added };
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

/**
 * Runs `sql` (which yields LogRollupKey groups with `added` and `raised` counts) per chunk of `rows`;
 * adds each group's added anomalies to `rollups` (a raised one was already counted) and sums both.
 */
async function runInChunks(
  session: Session,
  sql: string,
  rows: readonly AnomalyRow[],
  rollups: LogRollupDeltas,
  parameters: (chunk: readonly AnomalyRow[]) => Buffer[],
): Promise<{ added: number; raised: number }> {
  let added = 0;
  let raised = 0;
  for (const chunk of chunks(rows)) {
    const groups = await session.query<LogRollupKey & { added: number; raised: number }>(sql, parameters(chunk));
    for (const group of groups.rows) {
      added += group.added;
      raised += group.raised;
      rollups.addAnomalies(group, group.added);
    }
  }
  return { added, raised };
}

/**
 * In RETURNING of INSERT … ON CONFLICT DO UPDATE: true for a row the statement inserted, false for
 * one it updated. An inserted tuple has no xmax; an updated one carries the lock the conflict check
 * took (xmax = the updating transaction), also when this transaction inserted the old version.
 */
const ADDED_NOT_UPDATED = '(xmax = 0)';

/**
 * A late anomaly: a log of an EARLIER batch that records after it made anomalous, or more so
 * (late verdicts, docs/detection.md). It lands on the stored log by its coordinates; where the log
 * has an anomaly already, the higher score stands (with its threshold, model, features and
 * contributions), never the lower, so the rows do not depend on the order verdicts arrive in or on
 * a redelivery. Its experiment is the log's own. A log no longer stored (retention) gets nothing.
 */
const UPSERT_LATE_ANOMALIES = `
  WITH touched AS (
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
      WHERE EXCLUDED.score > anomalies.score
    RETURNING log_pk, ${ADDED_NOT_UPDATED} AS added)
  SELECT ${LOG_ROLLUP_KEY_OF_L}, (count(*) FILTER (WHERE added))::int AS added, (count(*) FILTER (WHERE NOT added))::int AS raised
  FROM touched JOIN logs l ON l.id = touched.log_pk
  GROUP BY 1, 2, 3, 4, 5`;

/** What upsertLateAnomalyRows did: inserted = anomalies added, raised = existing ones it raised. */
export interface LateAnomalyCounts extends InsertCounts {
  readonly raised: number;
}

/**
 * Stores late anomalies inside the caller's transaction: `inserted` counts rows added, `raised`
 * rows whose score it raised, `alreadyPresent` the verdicts an anomaly at least as high already
 * covered (or whose log is gone). Only added rows go into `rollups` (a raised one was counted).
 */
export async function upsertLateAnomalyRows(session: Session, rows: readonly AnomalyRow[], rollups: LogRollupDeltas): Promise<LateAnomalyCounts> {
  const { added, raised } = await runInChunks(session, UPSERT_LATE_ANOMALIES, rows, rollups, anomalyArrays);
  return { inserted: added, raised, alreadyPresent: rows.length - added - raised };
}
