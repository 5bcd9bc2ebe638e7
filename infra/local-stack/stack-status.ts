import type { Admin } from 'kafkajs';
import type pg from 'pg';
import { isProvisionalModel, type TrainingWindows } from '../../functions/shared/model/training-windows.js';

/** One reading of the pipeline's progress; counts are records. */
export interface StackStatus {
  /** Records on the logs topic (sum of partition end offsets minus start offsets). */
  produced: number;
  /** Rows in `logs` (summed from log_rollups). */
  stored: number;
  anomalies: number;
  deadLetters: number;
  /** Records of the logs topic the detector's group has not committed yet. */
  lag: number;
  /** Latest model version, or null before the first training. */
  modelVersion: string | null;
  /** Records the latest model was trained on (the `models` table's training_rows), or null before the first training. */
  modelRows: number | null;
}

export interface StatusSources {
  admin: Admin;
  db: pg.Pool;
  logsTopic: string;
  detectorGroupId: string;
}

/**
 * Reads the figures from their sources of truth: Kafka offsets, and PostgreSQL (readStoredCounts).
 */
export async function readStackStatus(sources: StatusSources): Promise<StackStatus> {
  const [offsets, stored] = await Promise.all([readTopicProgress(sources), readStoredCounts(sources.db)]);
  return { ...offsets, ...stored };
}

/** The status line's PostgreSQL part: what is stored, and the latest model. */
export type StoredCounts = Pick<StackStatus, 'stored' | 'anomalies' | 'deadLetters' | 'modelVersion' | 'modelRows'>;

/**
 * One query on PostgreSQL's rollups (migration 011), which equal counts of the `logs`, `anomalies`
 * and `dead_letters` rows; summing them reads a few rows per minute of stored data, not every row
 * (count(*) took seconds at 100 M rows). `npm run bench:scale` times it.
 */
export async function readStoredCounts(db: pg.Pool): Promise<StoredCounts> {
  const rows = await db.query<{ stored: string; anomalies: string; dead_letters: string; model: string | null; model_rows: number | null }>(
    `SELECT logged.stored, logged.anomalies, lettered.dead_letters,
            latest.version AS model, latest.training_rows AS model_rows
     FROM (SELECT COALESCE(sum(logs), 0) AS stored, COALESCE(sum(anomalies), 0) AS anomalies FROM log_rollups) logged
     CROSS JOIN (SELECT COALESCE(sum(dead_letters), 0) AS dead_letters FROM dead_letter_rollups) lettered
     LEFT JOIN LATERAL (SELECT version, training_rows FROM models ORDER BY created_at DESC LIMIT 1) latest ON true`,
  );
  const row = rows.rows[0]!;
  return {
    stored: Number(row.stored),
    anomalies: Number(row.anomalies),
    deadLetters: Number(row.dead_letters),
    modelVersion: row.model,
    modelRows: row.model_rows === null ? null : Number(row.model_rows),
  };
}

/**
 * From Kafka offsets alone: records on the logs topic and the detector group's lag. The detector
 * commits a batch only after storing it, so lag 0 means every produced record is stored — a check
 * that, unlike counting rows, costs PostgreSQL nothing.
 */
export async function readTopicProgress(sources: Pick<StatusSources, 'admin' | 'logsTopic' | 'detectorGroupId'>): Promise<{ produced: number; lag: number }> {
  const [ends, committed] = await Promise.all([
    sources.admin.fetchTopicOffsets(sources.logsTopic),
    sources.admin.fetchOffsets({ groupId: sources.detectorGroupId, topics: [sources.logsTopic] }),
  ]);
  let produced = 0;
  let lag = 0;
  const committedByPartition = new Map((committed[0]?.partitions ?? []).map((entry) => [entry.partition, Number(entry.offset)]));
  for (const partition of ends) {
    const high = Number(partition.high);
    const low = Number(partition.low);
    produced += high - low;
    const done = committedByPartition.get(partition.partition) ?? -1;
    lag += high - (done < 0 ? low : Math.max(low, done));
  }
  return { produced, lag };
}

/**
 * One line: "produced 1,204 · stored 1,200 · anomalies 31 · dead letters 0 · lag 4 · model v3", where
 * the last part is "model v3 (provisional: 200 of 1,000 records)" while the model is trained on fewer
 * records than the training window, and "first model after 200 stored (37/200)" before any model.
 * `training` is the detector's configuration (its TRAINING_WINDOW and FIRST_TRAINING_WINDOW).
 */
export function formatStackStatus(status: StackStatus, training: TrainingWindows): string {
  const n = (value: number) => value.toLocaleString('en-US');
  const first = training.firstTrainingWindow;
  let model: string;
  if (status.modelVersion === null) model = `first model after ${n(first)} stored (${n(Math.min(status.stored, first))}/${n(first)})`;
  else if (status.modelRows !== null && isProvisionalModel(status.modelRows, training.trainingWindow)) {
    model = `model ${status.modelVersion} (provisional: ${n(status.modelRows)} of ${n(training.trainingWindow)} records)`;
  } else model = `model ${status.modelVersion}`;
  return `produced ${n(status.produced)} · stored ${n(status.stored)} · anomalies ${n(status.anomalies)} · dead letters ${n(status.deadLetters)} · lag ${n(status.lag)} · ${model}`;
}
