/**
 * Reading logs back: the newest logs for (re)training a model, and counts.
 * "Newest" means latest `ts` (the line's own timestamp), ties broken by insertion order.
 */
import type { Db } from './pool.js';
import { withDatabaseErrors } from './database-errors.js';
import type { KafkaCoordinates } from './kafka-coordinates.js';
import { optionalText, requireInteger } from './input-checks.js';

/** A stored log with every field needed to rebuild the LogRecord it came from; times are ISO 8601 UTC. */
export interface StoredLog extends KafkaCoordinates {
  /** The row's primary key (logs.id). */
  readonly id: number;
  readonly logId: string;
  readonly ts: string;
  readonly service: string;
  readonly level: string;
  readonly message: string;
  readonly host: string | null;
  readonly traceId: string | null;
  readonly experimentId: string | null;
  readonly producerId: string | null;
  /** Ground truth, for evaluation only: training must not read it. */
  readonly label: string | null;
  readonly producedAt: string | null;
  readonly storedAt: string;
}

/** Upper bound on one training read (rows held in Lambda memory at once). */
export const MAX_TRAINING_ROWS = 200_000;

/** The newest `limit` logs, returned oldest first (the order they were produced in). */
export async function recentLogsForTraining(db: Db, limit: number): Promise<StoredLog[]> {
  const rows = requireInteger(limit, 'limit', 1, MAX_TRAINING_ROWS);
  const result = await withDatabaseErrors('recentLogsForTraining', () =>
    db.query(
      `SELECT * FROM (
         SELECT id, log_id, ts, service, level, message, host, trace_id, experiment_id, producer_id, label,
                topic, partition, kafka_offset, produced_at, stored_at
         FROM logs ORDER BY ts DESC, id DESC LIMIT $1
       ) newest ORDER BY ts ASC, id ASC`,
      [rows],
    ),
  );
  return result.rows.map(toStoredLog);
}

/**
 * How many logs are stored, counting no further than `atMost`: the cost is bounded by `atMost`
 * rows, not by the table (a full count(*) of a large `logs` table takes PostgreSQL seconds).
 */
export async function countLogsUpTo(db: Db, atMost: number): Promise<number> {
  const limit = requireInteger(atMost, 'atMost', 0, MAX_TRAINING_ROWS);
  const result = await withDatabaseErrors('countLogsUpTo', () =>
    db.query<{ count: string }>('SELECT count(*) AS count FROM (SELECT 1 FROM logs LIMIT $1) up_to', [limit]),
  );
  return Number(result.rows[0]?.count ?? 0);
}

/** How many logs are stored, optionally of one experiment. */
export async function countLogs(db: Db, filter: { experimentId?: string } = {}): Promise<number> {
  const experimentId = optionalText(filter.experimentId, 'experimentId');
  const result = await withDatabaseErrors('countLogs', () =>
    db.query<{ count: string }>(
      'SELECT count(*) AS count FROM logs WHERE ($1::text IS NULL OR experiment_id = $1)',
      [experimentId],
    ),
  );
  return Number(result.rows[0]?.count ?? 0);
}

function toStoredLog(row: Record<string, unknown>): StoredLog {
  return {
    id: Number(row['id']),
    logId: row['log_id'] as string,
    ts: (row['ts'] as Date).toISOString(),
    service: row['service'] as string,
    level: row['level'] as string,
    message: row['message'] as string,
    host: row['host'] as string | null,
    traceId: row['trace_id'] as string | null,
    experimentId: row['experiment_id'] as string | null,
    producerId: row['producer_id'] as string | null,
    label: row['label'] as string | null,
    topic: row['topic'] as string,
    partition: row['partition'] as number,
    offset: Number(row['kafka_offset']),
    producedAt: row['produced_at'] === null ? null : (row['produced_at'] as Date).toISOString(),
    storedAt: (row['stored_at'] as Date).toISOString(),
  };
}
