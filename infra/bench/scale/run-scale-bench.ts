/**
 * `bench:scale`'s run against a migrated database (the CLI's throw-away server, or a test's):
 * checkpoint by checkpoint it fills the rows up to the checkpoint (scale-fill.ts), settles the
 * database (VACUUM ANALYZE, CHECKPOINT) and takes the figures (scale-measure.ts). At the last one
 * it then fills an older day and measures retention deleting it, and checks the rollups.
 *
 * Times: the fill anchors at T0, the run's start. The checkpoints' rows are spread over
 * [T0 - 23 h, T0): a 1440-minute window read within an hour of T0 holds every one of them (with 24 h
 * it would lose the oldest as the run goes on). The older day is [T0 - 48 h, T0 - 24 h); retention at
 * the clock T0 with `--logs-days 1` (cutoff T0 - 24 h) deletes it and nothing else, and no window the
 * snapshots read reaches it.
 */
import type pg from 'pg';
import { createPool } from '../../../functions/shared/db/pool.js';
import { createBatchSource } from '../db/bench-batches.js';
import { FILL_CONNECTIONS, PARTITIONS, fillStep, finishFill, prepareFill, settle, type FillResult } from './scale-fill.js';
import {
  checkRollups,
  measureBatch,
  measureCleanup,
  measureSnapshot,
  measureStatus,
  round,
  type BatchFigures,
  type CleanupFigures,
  type RollupCheck,
  type SnapshotFigures,
  type StatusFigures,
} from './scale-measure.js';

const HOUR_MS = 3_600_000;
/** How far back the checkpoints' rows reach from T0. */
export const FILL_SPAN_MS = 23 * HOUR_MS;
/** Kafka offsets of the measured batches start here, above every filled one. */
const BATCH_FIRST_OFFSET = 2_000_000_000_000;
/** Progress lines at most this often. */
const PROGRESS_EVERY_MS = 10_000;

export interface ScaleRunOptions {
  readonly rows: number;
  readonly checkpoints: readonly number[];
  readonly batchRows: number;
  readonly repeat: number;
  readonly cleanupRows: number;
}

export interface FillFigures {
  /** Logs this checkpoint's step added. */
  readonly rows: number;
  readonly seconds: number;
  readonly rowsPerSecond: number;
  /** Bringing the rollups up to date with the step's rows. */
  readonly rollupSeconds: number;
  /** VACUUM (ANALYZE) and CHECKPOINT after the step. */
  readonly settleSeconds: number;
}

export interface CheckpointResult {
  readonly checkpoint: number;
  /** Logs filled so far (the measured batches add batchRows each on top). */
  readonly rows: number;
  readonly fill: FillFigures;
  readonly snapshot60: SnapshotFigures;
  readonly snapshot1440: SnapshotFigures;
  readonly status: StatusFigures;
  readonly batch: BatchFigures;
  readonly databaseBytes: number;
  /** At the last checkpoint only. */
  readonly cleanup: (CleanupFigures & { readonly olderDay: FillFigures; readonly rollupCheck: RollupCheck }) | null;
}

export interface ScaleSummary {
  readonly summary: 'bench:scale';
  readonly rows: number;
  readonly checkpoints: number[];
  readonly snapshot60Ms: number[];
  readonly snapshot1440Ms: number[];
  readonly rowsIn1440Window: number[];
  readonly statusMs: number[];
  readonly batchMs: number[];
  readonly batchBackendCpuMs: Array<number | null>;
  readonly cleanup: { readonly logs: number; readonly seconds: number; readonly logsPerSecond: number } | null;
  readonly rollupsEqualRawCounts: boolean | null;
  readonly totalSeconds: number;
}

export interface ScaleRunHooks {
  /** A progress line (the CLI prints it on stderr). */
  readonly progress?: (line: string) => void;
  /** Called after each checkpoint's figures, before the next fill (a test counts raw rows here). */
  readonly afterCheckpoint?: (result: CheckpointResult, db: pg.Pool) => Promise<void> | void;
}

export async function runScaleBench(connectionString: string, options: ScaleRunOptions, hooks: ScaleRunHooks = {}): Promise<{ checkpoints: CheckpointResult[]; summary: ScaleSummary }> {
  const progress = hooks.progress ?? (() => undefined);
  const started = performance.now();
  // The fill's connections, with no statement timeout (a chunk or a VACUUM can take minutes).
  const admin = createPool({ connectionString, max: FILL_CONNECTIONS, statementTimeoutMs: 0, idleTimeoutMs: 3_600_000, applicationName: 'bench-scale-fill' });
  // The readers' and the detector's calls: one connection (one backend to read the CPU of). No statement
  // timeout, so a slow call is measured rather than cancelled (the functions' pools cancel after 15 s).
  const reader = createPool({ connectionString, max: 1, statementTimeoutMs: 0, idleTimeoutMs: 3_600_000, applicationName: 'bench-scale' });
  const results: CheckpointResult[] = [];
  try {
    const t0 = Date.now();
    await prepareFill(admin, t0);
    const batches = createBatchSource({ partitions: PARTITIONS, anomalyRate: 0.05, seed: 42, firstOffset: BATCH_FIRST_OFFSET, startMs: t0 });
    let filled = 0;
    for (const [index, checkpoint] of options.checkpoints.entries()) {
      const fill = await fillAndSettle(admin, { firstRow: filled + 1, rows: checkpoint - filled, fromMs: t0 - FILL_SPAN_MS, toMs: t0 }, `fill to ${fmt(checkpoint)}`, progress);
      filled = checkpoint;
      progress(`checkpoint ${fmt(checkpoint)}: measuring (${options.repeat} runs each)`);
      const snapshot60 = await measureSnapshot(reader, 60, options.repeat);
      const snapshot1440 = await measureSnapshot(reader, 1440, options.repeat);
      const status = await measureStatus(reader, options.repeat);
      const batch = await measureBatch(reader, batches, options.batchRows, options.repeat);
      const isLast = index === options.checkpoints.length - 1;
      let cleanup: CheckpointResult['cleanup'] = null;
      if (isLast) {
        const olderDay = await fillAndSettle(
          admin,
          { firstRow: filled + 1, rows: options.cleanupRows, fromMs: t0 - 48 * HOUR_MS, toMs: t0 - 24 * HOUR_MS },
          `older day, ${fmt(options.cleanupRows)} rows`,
          progress,
        );
        progress(`cleanup: deleting the older day (db:cleanup --logs-days 1 at T0)`);
        // A pool like db:cleanup's (cli-support.ts poolFromEnv): one connection, no statement timeout.
        const cleanupPool = createPool({ connectionString, max: 1, statementTimeoutMs: 0, applicationName: 'db:cleanup' });
        const deleted = await measureCleanup(cleanupPool, new Date(t0)).finally(() => cleanupPool.end());
        progress(`cleanup: ${fmt(deleted.logs)} logs in ${deleted.seconds} s; checking the rollups against count(*)`);
        const rollupCheck = await checkRollups(admin);
        cleanup = { ...deleted, olderDay, rollupCheck };
      }
      const size = await admin.query<{ bytes: string }>('SELECT pg_database_size(current_database()) AS bytes');
      const result: CheckpointResult = { checkpoint: index + 1, rows: checkpoint, fill, snapshot60, snapshot1440, status, batch, databaseBytes: Number(size.rows[0]!.bytes), cleanup };
      results.push(result);
      await hooks.afterCheckpoint?.(result, admin);
    }
    await finishFill(admin);
  } finally {
    await Promise.all([admin.end(), reader.end()]);
  }
  return { checkpoints: results, summary: summarise(options, results, (performance.now() - started) / 1000) };
}

async function fillAndSettle(
  db: pg.Pool,
  step: { firstRow: number; rows: number; fromMs: number; toMs: number },
  what: string,
  progress: (line: string) => void,
): Promise<FillFigures> {
  const began = performance.now();
  let lastLine = began;
  const result: FillResult = await fillStep(db, step, (done) => {
    const now = performance.now();
    if (now - lastLine < PROGRESS_EVERY_MS) return;
    lastLine = now;
    progress(`${what}: ${fmt(done)} of ${fmt(step.rows)} rows, ${fmt(Math.round(done / ((now - began) / 1000)))} rows/s`);
  });
  progress(`${what}: ${fmt(result.logs)} rows in ${result.seconds.toFixed(1)} s; rollups ${result.rollupSeconds.toFixed(1)} s; vacuum + checkpoint …`);
  const settleSeconds = await settle(db);
  return {
    rows: result.logs,
    seconds: round(result.seconds, 1),
    rowsPerSecond: Math.round(result.logs / result.seconds),
    rollupSeconds: round(result.rollupSeconds, 2),
    settleSeconds: round(settleSeconds, 1),
  };
}

function summarise(options: ScaleRunOptions, results: readonly CheckpointResult[], totalSeconds: number): ScaleSummary {
  const last = results[results.length - 1]?.cleanup ?? null;
  return {
    summary: 'bench:scale',
    rows: options.rows,
    checkpoints: results.map((r) => r.rows),
    snapshot60Ms: results.map((r) => r.snapshot60.ms),
    snapshot1440Ms: results.map((r) => r.snapshot1440.ms),
    rowsIn1440Window: results.map((r) => r.snapshot1440.rows),
    statusMs: results.map((r) => r.status.ms),
    batchMs: results.map((r) => r.batch.ms),
    batchBackendCpuMs: results.map((r) => r.batch.backendCpuMs),
    cleanup: last === null ? null : { logs: last.logs, seconds: last.seconds, logsPerSecond: last.logsPerSecond },
    rollupsEqualRawCounts: last === null ? null : last.rollupCheck.equal,
    totalSeconds: Math.round(totalSeconds),
  };
}

export function fmt(n: number): string {
  return n.toLocaleString('en-US');
}
