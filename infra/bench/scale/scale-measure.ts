/**
 * The figures `bench:scale` takes at a checkpoint, each through the code the system runs:
 * - the dashboard's real-time snapshot (readRealtimeSnapshot, as the publisher calls it);
 * - the status line's PostgreSQL query (readStoredCounts, as `npm start` calls it);
 * - the detector's batch write (storeDetectorBatch of a fresh realistic batch), wall time and the
 *   PostgreSQL backend's CPU time from /proc (process-cpu-time.ts, as bench:db);
 * - retention (deleteExpiredRows, what `npm run db:cleanup` runs), and a check that the rollups
 *   still equal count(*) of the raw rows.
 * Each read runs once unmeasured, then `repeat` times; medians are reported, with the slowest.
 */
import type pg from 'pg';
import { readRealtimeSnapshot } from '../../../functions/dashboard-publisher/realtime/build-realtime-snapshot.js';
import { storeDetectorBatch } from '../../../functions/shared/db/detector-batch.js';
import { toLogRow } from '../../../functions/shared/db/log-rows.js';
import { deleteExpiredRows } from '../../db/retention.js';
import { readStoredCounts } from '../../local-stack/stack-status.js';
import type { BatchSource } from '../db/bench-batches.js';
import { cpuUsBetween, readProcessCpuTime, type ProcessCpuTime } from '../db/process-cpu-time.js';

const MINUTE_MS = 60_000;

export interface Timing {
  /** Median of the measured runs, ms. */
  readonly ms: number;
  /** The slowest measured run, ms. */
  readonly maxMs: number;
}

export interface SnapshotFigures extends Timing {
  readonly windowMinutes: number;
  /** Logs in the window, as the snapshot counted them (from the rollups), in its last run. */
  readonly rows: number;
  readonly anomalies: number;
  /** Rows of log_rollups in the window: what the snapshot's counts read instead of `rows` raw rows. */
  readonly rollupRows: number;
  /** The last run's window: its first instant and the database's now() it was read at. */
  readonly windowStart: string;
  readonly generatedAt: string;
}

export async function measureSnapshot(db: pg.Pool, windowMinutes: number, repeat: number): Promise<SnapshotFigures> {
  let last = await readRealtimeSnapshot(db, windowMinutes);
  const samples: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const started = performance.now();
    last = await readRealtimeSnapshot(db, windowMinutes);
    samples.push(performance.now() - started);
  }
  const generatedMs = Date.parse(last.generatedAt);
  const windowStart = new Date(Math.floor(generatedMs / MINUTE_MS) * MINUTE_MS - (windowMinutes - 1) * MINUTE_MS);
  const rollups = await db.query<{ n: string }>('SELECT count(*) AS n FROM log_rollups WHERE minute >= $1', [windowStart]);
  return {
    windowMinutes,
    ...timing(samples),
    rows: last.totals.logs,
    anomalies: last.totals.anomalies,
    rollupRows: Number(rollups.rows[0]!.n),
    windowStart: windowStart.toISOString(),
    generatedAt: last.generatedAt,
  };
}

export interface StatusFigures extends Timing {
  /** What the status line would show as stored, anomalies and dead letters. */
  readonly stored: number;
  readonly anomalies: number;
  readonly deadLetters: number;
}

export async function measureStatus(db: pg.Pool, repeat: number): Promise<StatusFigures> {
  let last = await readStoredCounts(db);
  const samples: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const started = performance.now();
    last = await readStoredCounts(db);
    samples.push(performance.now() - started);
  }
  return { ...timing(samples), stored: last.stored, anomalies: last.anomalies, deadLetters: last.deadLetters };
}

export interface BatchFigures extends Timing {
  readonly rows: number;
  /** Median CPU of the PostgreSQL backend per batch, ms; null where /proc cannot be read. */
  readonly backendCpuMs: number | null;
}

/**
 * Stores `repeat` + 1 fresh batches of `rows` logs (the first unmeasured) as the detector does:
 * each log checked into a LogRow (outside the clock), then storeDetectorBatch. `db` must have a
 * single connection, so one backend serves every batch.
 */
export async function measureBatch(db: pg.Pool, source: BatchSource, rows: number, repeat: number): Promise<BatchFigures> {
  const pid = (await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i <= repeat; i++) {
    const batch = source.next(rows);
    const logs = batch.logs.map((log, n) => toLogRow(log, `logs[${n}]`));
    const cpuBefore = cpuTime(pid);
    const started = performance.now();
    await storeDetectorBatch(db, { logs, anomalies: batch.anomalies, deadLetters: [] });
    const ms = performance.now() - started;
    const cpuAfter = cpuTime(pid);
    if (i === 0) continue;
    wall.push(ms);
    if (cpuBefore !== null && cpuAfter !== null) cpu.push(cpuUsBetween(cpuBefore, cpuAfter) / 1000);
  }
  const check = (await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  if (check !== pid) throw new Error(`the pool's connection changed during the batches (backend ${pid} → ${check}): the CPU figure would be wrong`);
  return { rows, ...timing(wall), backendCpuMs: cpu.length === wall.length ? round(median(cpu), 1) : null };
}

function cpuTime(pid: number): ProcessCpuTime | null {
  try {
    return readProcessCpuTime(pid);
  } catch {
    return null;
  }
}

export interface CleanupFigures {
  /** Rows deleted (logs older than the cutoff with their anomalies; dead letters older than it). */
  readonly logs: number;
  readonly anomalies: number;
  readonly deadLetters: number;
  readonly seconds: number;
  readonly logsPerSecond: number;
  readonly cutoff: string;
}

/** db:cleanup's code path with `--logs-days 1` at the clock `now`: deletes what is older than now - 24 h. */
export async function measureCleanup(db: pg.Pool, now: Date): Promise<CleanupFigures> {
  const started = performance.now();
  const summary = await deleteExpiredRows(db, { logsDays: 1, experimentsDays: null }, { now });
  const seconds = (performance.now() - started) / 1000;
  const { logs, anomalies, deadLetters } = summary.deleted;
  return { logs, anomalies, deadLetters, seconds: round(seconds, 2), logsPerSecond: Math.round(logs / seconds), cutoff: summary.cutoffs.logs! };
}

export interface RollupCheck {
  /** Every rollup total equals count(*) of its raw rows. */
  readonly equal: boolean;
  readonly logs: { readonly rollups: number; readonly raw: number };
  readonly anomalies: { readonly rollups: number; readonly raw: number };
  readonly deadLetters: { readonly rollups: number; readonly raw: number };
  readonly seconds: number;
}

/** Sums of the rollups against count(*) of logs, anomalies and dead letters (reads every row: slow at scale). */
export async function checkRollups(db: pg.Pool): Promise<RollupCheck> {
  const started = performance.now();
  const result = await db.query<Record<string, string>>(
    `SELECT (SELECT COALESCE(sum(logs), 0) FROM log_rollups) AS rollup_logs, (SELECT count(*) FROM logs) AS raw_logs,
            (SELECT COALESCE(sum(anomalies), 0) FROM log_rollups) AS rollup_anomalies, (SELECT count(*) FROM anomalies) AS raw_anomalies,
            (SELECT COALESCE(sum(dead_letters), 0) FROM dead_letter_rollups) AS rollup_dead_letters, (SELECT count(*) FROM dead_letters) AS raw_dead_letters`,
  );
  const row = result.rows[0]!;
  const pair = (name: string) => ({ rollups: Number(row[`rollup_${name}`]), raw: Number(row[`raw_${name}`]) });
  const logs = pair('logs');
  const anomalies = pair('anomalies');
  const deadLetters = pair('dead_letters');
  const equal = [logs, anomalies, deadLetters].every((p) => p.rollups === p.raw);
  return { equal, logs, anomalies, deadLetters, seconds: round((performance.now() - started) / 1000, 2) };
}

function timing(samples: number[]): Timing {
  return { ms: round(median(samples), 1), maxMs: round(Math.max(...samples), 1) };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
