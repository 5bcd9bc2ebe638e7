/**
 * The real-time view's queries. The window is the last N minutes of the database's clock, in whole
 * minutes: from the start of the minute N - 1 minutes before the current one, through now (the
 * timeline's N points). What was stored in it is counted from the rollups (migration 011), which
 * equal counts of the raw rows: logs by stored_at, each anomaly in its log's minute, dead letters by
 * received_at. So every count reads a few rows per minute of the window, however many records the
 * pipeline stores. The lists read the newest rows by index with a LIMIT.
 * Every result is bounded: grouped rows by the window's minutes or a LIMIT, lists by a LIMIT.
 */
import type { Session } from '../../shared/db/index.js';

/** The window's first instant ($1 = its minutes): the start of its first whole minute. */
const WINDOW_START = `date_trunc('minute', now()) - make_interval(mins => $1 - 1)`;

export interface WindowTotalsRow {
  now: Date;
  logs: string;
  anomalies: string;
  services: string;
  dead_letters: string;
}

export async function windowTotals(session: Session, minutes: number): Promise<WindowTotalsRow> {
  const result = await session.query<WindowTotalsRow>(
    `SELECT now() AS now, COALESCE(sum(logs), 0)::bigint AS logs, COALESCE(sum(anomalies), 0)::bigint AS anomalies,
            count(DISTINCT service) FILTER (WHERE logs > 0) AS services,
            (SELECT COALESCE(sum(dead_letters), 0)::bigint FROM dead_letter_rollups WHERE minute >= ${WINDOW_START}) AS dead_letters
     FROM log_rollups
     WHERE minute >= ${WINDOW_START}`,
    [minutes],
  );
  return result.rows[0]!;
}

export async function levelCounts(session: Session, minutes: number, limit: number): Promise<Array<{ level: string; count: string }>> {
  const result = await session.query(
    `SELECT level, sum(logs)::bigint AS count FROM log_rollups
     WHERE minute >= ${WINDOW_START}
     GROUP BY level HAVING sum(logs) > 0 ORDER BY sum(logs) DESC, level LIMIT $2`,
    [minutes, limit],
  );
  return result.rows;
}

/** The busiest `limit` services, plus one "(other)" row summing the rest (other = true). */
export async function serviceActivity(
  session: Session,
  minutes: number,
  limit: number,
): Promise<Array<{ service: string; logs: string; anomalies: string; other: boolean }>> {
  const result = await session.query(
    `WITH per_service AS (
       SELECT service, sum(logs)::bigint AS logs, sum(anomalies)::bigint AS anomalies
       FROM log_rollups
       WHERE minute >= ${WINDOW_START}
       GROUP BY service HAVING sum(logs) > 0),
     ranked AS (SELECT *, row_number() OVER (ORDER BY logs DESC, service) AS rank FROM per_service)
     SELECT service, logs, anomalies, false AS other FROM ranked WHERE rank <= $2
     UNION ALL
     SELECT '(other)', sum(logs)::bigint, sum(anomalies)::bigint, true FROM ranked WHERE rank > $2 HAVING count(*) > 0
     ORDER BY other, logs DESC, service`,
    [minutes, limit],
  );
  return result.rows;
}

/** Minutes of the window with logs stored in them, oldest first. */
export async function perMinute(session: Session, minutes: number): Promise<Array<{ minute: Date; logs: string; anomalies: string }>> {
  const result = await session.query(
    `SELECT minute, sum(logs)::bigint AS logs, sum(anomalies)::bigint AS anomalies
     FROM log_rollups
     WHERE minute >= ${WINDOW_START}
     GROUP BY minute HAVING sum(logs) > 0 ORDER BY minute`,
    [minutes],
  );
  return result.rows;
}

/**
 * The newest `limit` anomalies of the window, newest log first: the anomalies of the newest logs by
 * id (a backward scan of anomalies_log_unique, `limit` entries), those whose log was stored in the
 * window. Each log is read by its primary key (LATERAL … LIMIT 1 keeps the planner from joining the
 * whole window instead). Log ids rise in insertion order and stored_at is the inserting transaction's start, so
 * both orders agree but for batches committing concurrently: these are the window's newest. Messages are cut in SQL (to `messageChars` + 1, so the caller can tell a cut one).
 */
export async function recentAnomalies(session: Session, minutes: number, limit: number, messageChars: number): Promise<Array<Record<string, unknown>>> {
  const result = await session.query(
    `SELECT l.log_id, l.ts, a.detected_at, l.service, l.level, left(l.message, $3 + 1) AS message, l.host, l.experiment_id,
            a.score, a.threshold, a.model_version, a.features, a.contributions
     FROM (SELECT * FROM anomalies ORDER BY log_pk DESC LIMIT $2) a
     CROSS JOIN LATERAL (SELECT * FROM logs WHERE id = a.log_pk LIMIT 1) l
     WHERE l.stored_at >= ${WINDOW_START}
     ORDER BY l.stored_at DESC, l.id DESC`,
    [minutes, limit, messageChars],
  );
  return result.rows;
}

/**
 * The newest `limit` logs by id (a backward scan of logs_pkey, `limit` entries) that were stored in
 * the window, newest first, each with its anomaly's score read by anomalies_log_unique.
 */
export async function recentLogs(session: Session, minutes: number, limit: number, messageChars: number): Promise<Array<Record<string, unknown>>> {
  const result = await session.query(
    `SELECT l.log_id, l.ts, l.service, l.level, left(l.message, $3 + 1) AS message, l.host, a.score
     FROM (SELECT id, log_id, ts, service, level, message, host, stored_at FROM logs ORDER BY id DESC LIMIT $2) l
     LEFT JOIN LATERAL (SELECT score FROM anomalies WHERE log_pk = l.id LIMIT 1) a ON true
     WHERE l.stored_at >= ${WINDOW_START}
     ORDER BY l.stored_at DESC, l.id DESC`,
    [minutes, limit, messageChars],
  );
  return result.rows;
}

export async function currentModel(session: Session): Promise<Record<string, unknown> | null> {
  const result = await session.query(`SELECT version, trained_at, threshold, training_rows FROM models WHERE status = 'active'`);
  return result.rows[0] ?? null;
}

/** Logs stored, counted no further than `atMost` (bounded: never a count of the whole table). */
export async function storedUpTo(session: Session, atMost: number): Promise<number> {
  const result = await session.query<{ count: string }>('SELECT count(*) AS count FROM (SELECT 1 FROM logs LIMIT $1) up_to', [atMost]);
  return Number(result.rows[0]?.count ?? 0);
}
