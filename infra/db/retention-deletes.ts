/**
 * Retention's deletes of logs, anomalies and dead letters, each keeping the rollups (migration 011)
 * equal to the raw rows: every DELETE returns what it really deleted, grouped by rollup key, and
 * the same transaction subtracts that from log_rollups / dead_letter_rollups (and drops rows left
 * at zero). Each function runs inside the caller's short transaction and deletes one batch.
 */
import type { Session } from '../../functions/shared/db/transaction.js';
import { LOG_ROLLUP_KEY_OF_L, LogRollupDeltas, subtractLogRollups, type LogRollupKey } from '../../functions/shared/db/log-rollups.js';
import { DEAD_LETTER_ROLLUP_KEY_OF_D, DeadLetterRollupDeltas, subtractDeadLetterRollups, type DeadLetterRollupKey } from '../../functions/shared/db/dead-letter-rollups.js';

type Counted<K> = K & { n: number };

/** The anomalies of the logs `ids` (read before the logs go), by their log's key. */
const DELETE_ANOMALIES_OF_LOGS = `
  WITH gone AS (DELETE FROM anomalies WHERE log_pk = ANY($1::bigint[]) RETURNING log_pk)
  SELECT ${LOG_ROLLUP_KEY_OF_L}, count(*)::int AS n FROM gone JOIN logs l ON l.id = gone.log_pk GROUP BY 1, 2, 3, 4, 5`;

const DELETE_LOGS = `
  WITH l AS (DELETE FROM logs WHERE id = ANY($1::bigint[]) RETURNING stored_at, topic, partition, service, level)
  SELECT ${LOG_ROLLUP_KEY_OF_L}, count(*)::int AS n FROM l GROUP BY 1, 2, 3, 4, 5`;

/** Deletes the logs `ids` and their anomalies; returns how many of each. */
export async function deleteLogsAndAnomalies(session: Session, ids: readonly string[]): Promise<{ logs: number; anomalies: number }> {
  const rollups = new LogRollupDeltas();
  const anomalies = await session.query<Counted<LogRollupKey>>(DELETE_ANOMALIES_OF_LOGS, [ids]);
  for (const group of anomalies.rows) rollups.addAnomalies(group, -group.n);
  const logs = await session.query<Counted<LogRollupKey>>(DELETE_LOGS, [ids]);
  for (const group of logs.rows) rollups.addLogs(group, -group.n);
  await subtractLogRollups(session, rollups);
  return { logs: total(logs.rows), anomalies: total(anomalies.rows) };
}

/** Up to $2 anomalies detected before $1, whatever their log's age (the log stays). */
const DELETE_ANOMALIES_DETECTED_BEFORE = `
  WITH gone AS (
    DELETE FROM anomalies WHERE id IN (SELECT id FROM anomalies WHERE detected_at < $1 LIMIT $2) RETURNING log_pk)
  SELECT ${LOG_ROLLUP_KEY_OF_L}, count(*)::int AS n FROM gone JOIN logs l ON l.id = gone.log_pk GROUP BY 1, 2, 3, 4, 5`;

/** Deletes one batch of anomalies detected before `cutoff`; returns how many. */
export async function deleteAnomaliesDetectedBefore(session: Session, cutoff: Date, limit: number): Promise<number> {
  const rollups = new LogRollupDeltas();
  const result = await session.query<Counted<LogRollupKey>>(DELETE_ANOMALIES_DETECTED_BEFORE, [cutoff, limit]);
  for (const group of result.rows) rollups.addAnomalies(group, -group.n);
  await subtractLogRollups(session, rollups);
  return total(result.rows);
}

const DELETE_DEAD_LETTERS_RECEIVED_BEFORE = `
  WITH d AS (
    DELETE FROM dead_letters WHERE id IN (SELECT id FROM dead_letters WHERE received_at < $1 LIMIT $2)
    RETURNING received_at, topic, partition, component)
  SELECT ${DEAD_LETTER_ROLLUP_KEY_OF_D}, count(*)::int AS n FROM d GROUP BY 1, 2, 3, 4`;

/** Deletes one batch of dead letters received before `cutoff`; returns how many. */
export async function deleteDeadLettersReceivedBefore(session: Session, cutoff: Date, limit: number): Promise<number> {
  const rollups = new DeadLetterRollupDeltas();
  const result = await session.query<Counted<DeadLetterRollupKey>>(DELETE_DEAD_LETTERS_RECEIVED_BEFORE, [cutoff, limit]);
  for (const group of result.rows) rollups.add(group, -group.n);
  await subtractDeadLetterRollups(session, rollups);
  return total(result.rows);
}

function total(groups: ReadonlyArray<{ n: number }>): number {
  return groups.reduce((sum, group) => sum + group.n, 0);
}
