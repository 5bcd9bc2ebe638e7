/**
 * The rollups (migration 011) as stored, and as counted from the raw rows by their definition: a
 * test of exactness asserts the two are equal. Rows are sorted by key; counts are numbers.
 */
import type pg from 'pg';

export interface RollupRows {
  readonly logs: Array<{ minute: Date; topic: string; partition: number; service: string; level: string; logs: number; anomalies: number }>;
  readonly deadLetters: Array<{ minute: Date; topic: string; partition: number; component: string; dead_letters: number }>;
}

/** log_rollups and dead_letter_rollups as they are. */
export async function storedRollups(pool: pg.Pool): Promise<RollupRows> {
  const logs = await pool.query(
    `SELECT minute, topic, partition, service, level, logs::int AS logs, anomalies::int AS anomalies FROM log_rollups ORDER BY minute, topic, partition, service, level`,
  );
  const deadLetters = await pool.query(
    `SELECT minute, topic, partition, component, dead_letters::int AS dead_letters FROM dead_letter_rollups ORDER BY minute, topic, partition, component`,
  );
  return { logs: logs.rows, deadLetters: deadLetters.rows };
}

/** What the rollups must hold: counts of the raw rows (each anomaly in its log's minute). */
export async function rollupsOfRawRows(pool: pg.Pool): Promise<RollupRows> {
  const logs = await pool.query(
    `SELECT date_trunc('minute', l.stored_at) AS minute, l.topic, l.partition, l.service, l.level, count(*)::int AS logs, count(a.id)::int AS anomalies
     FROM logs l LEFT JOIN anomalies a ON a.log_pk = l.id
     GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`,
  );
  const deadLetters = await pool.query(
    `SELECT date_trunc('minute', received_at) AS minute, topic, partition, component, count(*)::int AS dead_letters
     FROM dead_letters GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
  );
  return { logs: logs.rows, deadLetters: deadLetters.rows };
}

/** Totals over the stored rollups. */
export async function rollupTotals(pool: pg.Pool): Promise<{ logs: number; anomalies: number; deadLetters: number }> {
  const result = await pool.query(
    `SELECT (SELECT COALESCE(sum(logs), 0)::int FROM log_rollups) AS logs, (SELECT COALESCE(sum(anomalies), 0)::int FROM log_rollups) AS anomalies,
            (SELECT COALESCE(sum(dead_letters), 0)::int FROM dead_letter_rollups) AS "deadLetters"`,
  );
  return result.rows[0];
}

/**
 * Moves everything one partition stored `minutes` whole minutes into the past, in the raw rows and
 * in their rollups alike (rollup keys include the partition, so the invariant still holds): how a
 * test gets rows of several minutes without waiting for the clock.
 */
export async function backdatePartition(pool: pg.Pool, topic: string, partition: number, minutes: number): Promise<void> {
  await pool.query(`UPDATE logs SET stored_at = stored_at - make_interval(mins => $3) WHERE topic = $1 AND partition = $2`, [topic, partition, minutes]);
  // Through a far range first: the key is checked row by row, and rows of consecutive minutes would collide on the way.
  await pool.query(`UPDATE log_rollups SET minute = minute - interval '876000 hours' WHERE topic = $1 AND partition = $2`, [topic, partition]);
  await pool.query(`UPDATE log_rollups SET minute = minute + interval '876000 hours' - make_interval(mins => $3) WHERE topic = $1 AND partition = $2`, [topic, partition, minutes]);
}

export const TRUNCATE_ALL = 'TRUNCATE logs, anomalies, dead_letters, log_rollups, dead_letter_rollups RESTART IDENTITY CASCADE';
