/**
 * The real-time snapshot counts from the rollups (migration 011). Here it is compared with the raw
 * counts it replaced, on the same data and the same instant: the pre-011 queries of
 * realtime-queries.ts, kept below as the reference, with one intended change, the window's start
 * aligned to a whole minute (the timeline's first point; the old totals also counted the part of
 * the minute before it). The lists read the newest rows by index with a LIMIT (plans checked).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { dashboardLimits, readRealtimeSnapshot, type RealtimeSnapshot } from '../../../functions/dashboard-publisher/index.js';
import { recentAnomalies, recentLogs } from '../../../functions/dashboard-publisher/realtime/realtime-queries.js';
import { storeDetectorBatch, type NewAnomaly, type NewLog, type Session } from '../../../functions/shared/db/index.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';
import { anomalyFor, deadLetter, newLog } from '../shared/db/db-fixtures.js';
import { backdatePartition, rollupsOfRawRows, storedRollups, TRUNCATE_ALL } from '../shared/db/rollup-fixtures.js';
import { planWithoutSeqScans } from '../../helpers/query-plan.js';

const WINDOW = 60;
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(TRUNCATE_ALL);
});
afterAll(async () => {
  await db?.drop();
});

/** 17 services (more than the 15 the snapshot names), 4 levels, on one partition. */
function partitionLogs(partition: number, from: number, count: number): NewLog[] {
  return Array.from({ length: count }, (_, i) => {
    const offset = from + i;
    return newLog(offset, { partition, service: `svc-${(offset * 7 + partition) % 17}`, level: ['INFO', 'WARN', 'ERROR', 'DEBUG'][(offset + partition) % 4]! });
  });
}
const flagged = (logs: readonly NewLog[], every: number): NewAnomaly[] => logs.filter((log) => log.offset % every === 0).map((log) => anomalyFor(log));

/** Stores a partition's batches as the detector would meet them: overlapping, redelivered, with late verdicts. */
async function storePartition(partition: number, backdateMinutes: number): Promise<void> {
  const first = partitionLogs(partition, 0, 30);
  const second = partitionLogs(partition, 20, 30);
  await storeDetectorBatch(db.pool, { logs: first, anomalies: flagged(first, 9), deadLetters: [deadLetter(900, { partition })] });
  await storeDetectorBatch(db.pool, { logs: first, anomalies: flagged(first, 9), deadLetters: [deadLetter(900, { partition })] });
  await storeDetectorBatch(db.pool, { logs: second, anomalies: flagged(second, 11), deadLetters: [] });
  if (backdateMinutes > 0) await backdatePartition(db.pool, 'logs', partition, backdateMinutes);
  // Late verdicts on logs already stored (counted in their minute): one new, one raising a score
  const late = [anomalyFor(first[1]!, { score: 0.8 }), anomalyFor(first[9]!, { score: 0.95 })];
  await storeDetectorBatch(db.pool, { logs: partitionLogs(partition, 50, 5), anomalies: async () => ({ anomalies: [], late, streams: [] }), deadLetters: [] });
}

describe('the real-time snapshot from rollups', () => {
  let snapshot: RealtimeSnapshot;
  let reference: Reference;

  beforeAll(async () => {
    // Prepare: partitions stored now, 5, 59, 61 and 180 minutes ago; dead letters inside and outside the window
    for (const [partition, minutesAgo] of [[0, 0], [1, 5], [2, 59], [3, 61], [4, 180]] as const) await storePartition(partition, minutesAgo);
    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    await storeDetectorBatch(db.pool, { logs: [], anomalies: [], deadLetters: [deadLetter(1, { topic: 'other', receivedAt: ago(30) }), deadLetter(2, { topic: 'other', receivedAt: ago(120) })] });

    // Act
    snapshot = await readRealtimeSnapshot(db.pool, WINDOW);
    reference = await rawReference(db.pool, new Date(snapshot.generatedAt), WINDOW);
  });

  it('keeps rollups equal to the raw rows it is compared with', async () => {
    // Assess
    expect(await storedRollups(db.pool)).toEqual(await rollupsOfRawRows(db.pool));
  });

  it('has the totals, levels and services of the raw counts', () => {
    // Assess
    expect(reference.totals.logs).toBeGreaterThan(0);
    expect(snapshot.totals).toEqual(reference.totals);
    expect(snapshot.levels).toEqual(reference.levels);
    expect(snapshot.services).toEqual(reference.services);
    expect(snapshot.services.at(-1)!.service).toBe('(other)');
  });

  it('has the per-minute timeline of the raw counts, in the window only', () => {
    // Act
    const withLogs = snapshot.timeline.filter((point) => point.logs > 0);

    // Assess
    expect(snapshot.timeline).toHaveLength(WINDOW);
    expect(withLogs).toEqual(reference.timeline);
    expect(withLogs.reduce((sum, point) => sum + point.logs, 0)).toBe(snapshot.totals.logs);
  });

  it('lists the same newest logs and anomalies as the raw queries', () => {
    // Assess
    expect(snapshot.recentLogs.map((log) => log.logId)).toEqual(reference.recentLogIds);
    expect(snapshot.recentAnomalies.map((card) => [card.logId, card.score])).toEqual(reference.recentAnomalies);
  });
});

describe('the real-time lists', () => {
  it('read the newest rows by index with a LIMIT, not the whole window', async () => {
    // Act
    const logsPlan = await planOf(db.pool, await statementOf((session) => recentLogs(session, WINDOW, dashboardLimits.MAX_RECENT_LOGS, 200)));
    const anomaliesPlan = await planOf(db.pool, await statementOf((session) => recentAnomalies(session, WINDOW, dashboardLimits.MAX_RECENT_ANOMALIES, 200)));

    // Assess
    expect(logsPlan).toMatch(/Limit\n.*Index Scan Backward using logs_pkey on logs/);
    expect(logsPlan).toMatch(/Index Scan using anomalies_log_unique on anomalies/);
    expect(anomaliesPlan).toMatch(/Limit\n.*Index Scan Backward using anomalies_log_unique on anomalies/);
    expect(anomaliesPlan).toMatch(/Index Scan using logs_pkey on logs/);
    for (const plan of [logsPlan, anomaliesPlan]) expect(plan).not.toMatch(/logs_stored_at_brin|Hash|Seq Scan/);
  });
});

interface Reference {
  totals: RealtimeSnapshot['totals'];
  levels: RealtimeSnapshot['levels'];
  services: RealtimeSnapshot['services'];
  timeline: RealtimeSnapshot['timeline'];
  recentLogIds: string[];
  recentAnomalies: Array<[string, number]>;
}

/** The window's start ($1 = the snapshot's instant, $2 = minutes): the only change to the pre-011 queries. */
const START = `date_trunc('minute', $1::timestamptz) - make_interval(mins => $2 - 1)`;

/** The pre-011 raw counts and lists, read at `now` (the snapshot's own now()). */
async function rawReference(pool: pg.Pool, now: Date, minutes: number): Promise<Reference> {
  const params = [now, minutes];
  const totals = (
    await pool.query(
      `SELECT count(l.id)::int AS logs, count(a.id)::int AS anomalies, count(DISTINCT l.service)::int AS services,
              (SELECT count(*)::int FROM dead_letters WHERE received_at >= ${START}) AS dead_letters
       FROM logs l LEFT JOIN anomalies a ON a.log_pk = l.id
       WHERE l.stored_at >= ${START}`,
      params,
    )
  ).rows[0];
  const levels = await pool.query(
    `SELECT level, count(*)::int AS count FROM logs WHERE stored_at >= ${START} GROUP BY level ORDER BY count(*) DESC, level LIMIT $3`,
    [...params, dashboardLimits.MAX_LEVELS],
  );
  const services = await pool.query(
    `WITH per_service AS (
       SELECT l.service, count(*) AS logs, count(a.id) AS anomalies
       FROM logs l LEFT JOIN anomalies a ON a.log_pk = l.id
       WHERE l.stored_at >= ${START}
       GROUP BY l.service),
     ranked AS (SELECT *, row_number() OVER (ORDER BY logs DESC, service) AS rank FROM per_service)
     SELECT service, logs::int, anomalies::int, false AS other FROM ranked WHERE rank <= $3
     UNION ALL
     SELECT '(other)', sum(logs)::int, sum(anomalies)::int, true FROM ranked WHERE rank > $3 HAVING count(*) > 0
     ORDER BY other, logs DESC, service`,
    [...params, dashboardLimits.MAX_SERVICES],
  );
  const timeline = await pool.query(
    `SELECT date_trunc('minute', l.stored_at) AS minute, count(*)::int AS logs, count(a.id)::int AS anomalies
     FROM logs l LEFT JOIN anomalies a ON a.log_pk = l.id
     WHERE l.stored_at >= ${START}
     GROUP BY 1 ORDER BY 1`,
    params,
  );
  const logs = await pool.query(
    `SELECT l.log_id FROM logs l WHERE l.stored_at >= ${START} ORDER BY l.stored_at DESC, l.id DESC LIMIT $3`,
    [...params, dashboardLimits.MAX_RECENT_LOGS],
  );
  const anomalies = await pool.query(
    `SELECT l.log_id, a.score FROM anomalies a JOIN logs l ON l.id = a.log_pk
     WHERE l.stored_at >= ${START} ORDER BY l.stored_at DESC, l.id DESC LIMIT $3`,
    [...params, dashboardLimits.MAX_RECENT_ANOMALIES],
  );
  return {
    totals: {
      logs: totals.logs,
      anomalies: totals.anomalies,
      anomalyRate: totals.logs === 0 ? 0 : Math.round((totals.anomalies / totals.logs) * 1e6) / 1e6,
      activeServices: totals.services,
      deadLetters: totals.dead_letters,
    },
    levels: levels.rows.map((row) => ({ level: row.level, count: row.count })),
    services: services.rows.map((row) => ({ service: row.service, logs: row.logs, anomalies: row.anomalies })),
    timeline: timeline.rows.map((row) => ({ minute: (row.minute as Date).toISOString(), logs: row.logs, anomalies: row.anomalies })),
    recentLogIds: logs.rows.map((row) => row.log_id),
    recentAnomalies: anomalies.rows.map((row) => [row.log_id, row.score]),
  };
}

/** The SQL and parameters a query function sends (it is given a session that only records them). */
async function statementOf(run: (session: Session) => Promise<unknown>): Promise<{ sql: string; params: unknown[] }> {
  let statement: { sql: string; params: unknown[] } | undefined;
  const recorder = { query: async (sql: string, params: unknown[]) => ((statement = { sql, params }), { rows: [] }) } as unknown as Session;
  await run(recorder);
  return statement!;
}

/** The plan of a statement with sequential scans priced out, so any index it can use shows up. */
function planOf(pool: pg.Pool, { sql, params }: { sql: string; params: unknown[] }): Promise<string> {
  return planWithoutSeqScans(pool, sql, params);
}
