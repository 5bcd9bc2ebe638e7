/**
 * The real-time view's queries. The window is "stored in the last N minutes" (logs.stored_at,
 * anomalies joined to their log, dead_letters.received_at), measured on the database's clock.
 * Every result is bounded: grouped rows by the window's minutes or a LIMIT, lists by a LIMIT.
 */
import type { Session } from '../../shared/db/index.js';

export interface WindowTotalsRow {
  now: Date;
  logs: string;
  anomalies: string;
  services: string;
  dead_letters: string;
}

export async function windowTotals(session: Session, minutes: number): Promise<WindowTotalsRow> {
  const result = await session.query<WindowTotalsRow>(
    `SELECT now() AS now, count(l.id) AS logs, count(a.id) AS anomalies, count(DISTINCT l.service) AS services,
            (SELECT count(*) FROM dead_letters WHERE received_at >= now() - make_interval(mins => $1)) AS dead_letters
     FROM logs l LEFT JOIN anomalies a ON a.log_pk = l.id
     WHERE l.stored_at >= now() - make_interval(mins => $1)`,
    [minutes],
  );
  return result.rows[0]!;
}

export async function levelCounts(session: Session, minutes: number, limit: number): Promise<Array<{ level: string; count: string }>> {
  const result = await session.query(
    `SELECT level, count(*) AS count FROM logs
     WHERE stored_at >= now() - make_interval(mins => $1)
     GROUP BY level ORDER BY count(*) DESC, level LIMIT $2`,
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
       SELECT l.service, count(*) AS logs, count(a.id) AS anomalies
       FROM logs l LEFT JOIN anomalies a ON a.log_pk = l.id
       WHERE l.stored_at >= now() - make_interval(mins => $1)
       GROUP BY l.service),
     ranked AS (SELECT *, row_number() OVER (ORDER BY logs DESC, service) AS rank FROM per_service)
     SELECT service, logs, anomalies, false AS other FROM ranked WHERE rank <= $2
     UNION ALL
     SELECT '(other)', sum(logs), sum(anomalies), true FROM ranked WHERE rank > $2 HAVING count(*) > 0
     ORDER BY other, logs DESC, service`,
    [minutes, limit],
  );
  return result.rows;
}

export async function perMinute(session: Session, minutes: number): Promise<Array<{ minute: Date; logs: string; anomalies: string }>> {
  const result = await session.query(
    `SELECT date_trunc('minute', l.stored_at) AS minute, count(*) AS logs, count(a.id) AS anomalies
     FROM logs l LEFT JOIN anomalies a ON a.log_pk = l.id
     WHERE l.stored_at >= now() - make_interval(mins => $1)
     GROUP BY 1 ORDER BY 1`,
    [minutes],
  );
  return result.rows;
}

/** Messages are cut in SQL (to `messageChars` + 1, so the caller can tell a cut one) to keep rows small. */
export async function recentAnomalies(session: Session, minutes: number, limit: number, messageChars: number): Promise<Array<Record<string, unknown>>> {
  const result = await session.query(
    `SELECT l.log_id, l.ts, a.detected_at, l.service, l.level, left(l.message, $3 + 1) AS message, l.host, l.experiment_id,
            a.score, a.threshold, a.model_version, a.features, a.contributions
     FROM anomalies a JOIN logs l ON l.id = a.log_pk
     WHERE l.stored_at >= now() - make_interval(mins => $1)
     ORDER BY l.stored_at DESC, l.id DESC LIMIT $2`,
    [minutes, limit, messageChars],
  );
  return result.rows;
}

export async function recentLogs(session: Session, minutes: number, limit: number, messageChars: number): Promise<Array<Record<string, unknown>>> {
  const result = await session.query(
    `SELECT l.log_id, l.ts, l.service, l.level, left(l.message, $3 + 1) AS message, l.host, a.score
     FROM logs l LEFT JOIN anomalies a ON a.log_pk = l.id
     WHERE l.stored_at >= now() - make_interval(mins => $1)
     ORDER BY l.stored_at DESC, l.id DESC LIMIT $2`,
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
