/**
 * Retention: deletes rows older than a number of days.
 *
 * - logs: `ts` (the line's own time) older than `logsDays` — with their anomalies;
 *   anomalies: `detected_at` older than `logsDays`; dead letters: `received_at` older than `logsDays`.
 * - experiments: finished (completed/failed) ones whose `ended_at` is older than `experimentsDays`,
 *   with their performance metrics and consumer-lag rows; metrics and lag rows that belong to no
 *   experiment (experiment_id NULL) go when their `timestamp` is older than `experimentsDays`.
 *   Running experiments are never deleted.
 * - detector streams: rows of `detector_streams` (a topic-partition's feature state) not written for
 *   `streamsDays` — a partition no batch has reached for that long (a deleted or idle topic). A
 *   stream that gets records again starts afresh, as it would on a new model.
 * Deletes run in batches of `batchSize` rows, each batch its own short transaction, so a large
 * cleanup never holds locks for long and an interrupted one keeps what it already did. Each batch
 * of logs, anomalies or dead letters subtracts what it deleted from the rollups in the same
 * transaction (retention-deletes.ts), so the rollups keep equalling counts of the remaining rows.
 */
import type pg from 'pg';
import { withTransaction, type Session } from '../../functions/shared/db/transaction.js';
import { withDatabaseErrors } from '../../functions/shared/db/database-errors.js';
import { deleteAnomaliesDetectedBefore, deleteDeadLettersReceivedBefore, deleteLogsAndAnomalies } from './retention-deletes.js';

export interface RetentionPolicy {
  /** Days to keep logs, anomalies and dead letters; null keeps them all. */
  readonly logsDays: number | null;
  /** Days to keep finished experiments with their metrics and lag; null keeps them all. */
  readonly experimentsDays: number | null;
  /** Days to keep a detector stream's state after its last write; null or absent keeps them all. */
  readonly streamsDays?: number | null;
}

export interface CleanupSummary {
  readonly now: string;
  readonly cutoffs: { readonly logs: string | null; readonly experiments: string | null; readonly streams: string | null };
  readonly deleted: {
    logs: number;
    anomalies: number;
    deadLetters: number;
    experiments: number;
    performanceMetrics: number;
    consumerLag: number;
    detectorStreams: number;
  };
}

const DAY_MS = 86_400_000;
const EXPERIMENTS_PER_BATCH = 100;

export async function deleteExpiredRows(
  pool: pg.Pool,
  policy: RetentionPolicy,
  options: { now?: Date; batchSize?: number } = {},
): Promise<CleanupSummary> {
  const now = options.now ?? new Date();
  const batchSize = options.batchSize ?? 5_000;
  const logsCutoff = policy.logsDays === null ? null : new Date(now.getTime() - policy.logsDays * DAY_MS);
  const experimentsCutoff = policy.experimentsDays === null ? null : new Date(now.getTime() - policy.experimentsDays * DAY_MS);
  const streamsDays = policy.streamsDays ?? null;
  const streamsCutoff = streamsDays === null ? null : new Date(now.getTime() - streamsDays * DAY_MS);
  const deleted = { logs: 0, anomalies: 0, deadLetters: 0, experiments: 0, performanceMetrics: 0, consumerLag: 0, detectorStreams: 0 };

  await withDatabaseErrors('cleanup', async () => {
    if (logsCutoff !== null) {
      await repeatBatches(pool, async (session) => {
        // FOR UPDATE: no anomaly can be added to these logs until they are gone (it would be deleted
        // by the cascade without being subtracted from the rollups).
        const ids = await selectIds(session, 'SELECT id FROM logs WHERE ts < $1 ORDER BY ts LIMIT $2 FOR UPDATE', logsCutoff, batchSize);
        const gone = await deleteLogsAndAnomalies(session, ids);
        deleted.anomalies += gone.anomalies;
        deleted.logs += gone.logs;
        return ids.length === batchSize;
      });
      deleted.anomalies += await deleteBatchByBatch(pool, batchSize, (session) => deleteAnomaliesDetectedBefore(session, logsCutoff, batchSize));
      deleted.deadLetters += await deleteBatchByBatch(pool, batchSize, (session) => deleteDeadLettersReceivedBefore(session, logsCutoff, batchSize));
    }
    if (experimentsCutoff !== null) {
      await repeatBatches(pool, async (session) => {
        const ids = await selectIds(
          session,
          `SELECT id FROM experiments WHERE status <> 'running' AND ended_at < $1 ORDER BY ended_at LIMIT $2`,
          experimentsCutoff,
          EXPERIMENTS_PER_BATCH,
        );
        deleted.performanceMetrics += await count(session, 'DELETE FROM performance_metrics WHERE experiment_id = ANY($1::text[])', [ids]);
        deleted.consumerLag += await count(session, 'DELETE FROM consumer_lag WHERE experiment_id = ANY($1::text[])', [ids]);
        deleted.experiments += await count(session, 'DELETE FROM experiments WHERE id = ANY($1::text[])', [ids]);
        return ids.length === EXPERIMENTS_PER_BATCH;
      });
      const orphan = 'experiment_id IS NULL AND "timestamp" < $1';
      deleted.performanceMetrics += await deleteInBatches(pool, 'performance_metrics', orphan, experimentsCutoff, batchSize);
      deleted.consumerLag += await deleteInBatches(pool, 'consumer_lag', orphan, experimentsCutoff, batchSize);
    }
    if (streamsCutoff !== null) {
      // One row per partition: a single short statement.
      deleted.detectorStreams += await withTransaction(pool, (session) => count(session, 'DELETE FROM detector_streams WHERE updated_at < $1', [streamsCutoff]));
    }
  });

  return {
    now: now.toISOString(),
    cutoffs: { logs: logsCutoff?.toISOString() ?? null, experiments: experimentsCutoff?.toISOString() ?? null, streams: streamsCutoff?.toISOString() ?? null },
    deleted,
  };
}

/** Runs `batch` in its own transaction until it reports that nothing more is left. */
async function repeatBatches(pool: pg.Pool, batch: (session: Session) => Promise<boolean>): Promise<void> {
  while (await withTransaction(pool, batch));
}

/** Runs `deleteBatch` (one batch of at most `batchSize` rows) until a batch comes back short; returns how many. */
async function deleteBatchByBatch(pool: pg.Pool, batchSize: number, deleteBatch: (session: Session) => Promise<number>): Promise<number> {
  let total = 0;
  await repeatBatches(pool, async (session) => {
    const n = await deleteBatch(session);
    total += n;
    return n === batchSize;
  });
  return total;
}

/** Deletes rows of `table` matching `condition` ($1 = cutoff) in batches; returns how many. */
async function deleteInBatches(pool: pg.Pool, table: string, condition: string, cutoff: Date, batchSize: number): Promise<number> {
  let total = 0;
  await repeatBatches(pool, async (session) => {
    const n = await count(session, `DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} WHERE ${condition} LIMIT $2)`, [cutoff, batchSize]);
    total += n;
    return n === batchSize;
  });
  return total;
}

async function selectIds(session: Session, sql: string, cutoff: Date, limit: number): Promise<string[]> {
  const result = await session.query<{ id: string }>(sql, [cutoff, limit]);
  return result.rows.map((row) => row.id);
}

async function count(session: Session, sql: string, params: unknown[]): Promise<number> {
  const result = await session.query(sql, params);
  return result.rowCount ?? 0;
}
