/**
 * `npm run bench:db`: the CPU cost of storing the detector's batches in PostgreSQL, per log row,
 * on both sides of the connection, for the current code and for the old code (baseline-store.ts
 * against the schema before migration 007).
 *
 * Per batch and variant it measures, around the detector's own steps (map-record's per-record
 * check, then storeDetectorBatch):
 * - client CPU: process.cpuUsage() (user + system, this process, all threads);
 * - backend CPU: the PostgreSQL backend serving the pool's only connection, from /proc;
 * - wall time.
 * The batch is generated and garbage collected before the measurement starts.
 * Variants alternate batch by batch (and which goes first), so machine noise hits both alike.
 * Prints one JSON line per variant (medians over the measured batches) and a summary line with the
 * ratios current / baseline. CPU time, not wall time, is the figure to compare on a shared machine.
 */
import type pg from 'pg';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { setTimeout as delay } from 'node:timers/promises';
import { createPool } from '../../../functions/shared/db/pool.js';
import { storeDetectorBatch } from '../../../functions/shared/db/detector-batch.js';
import { toLogRow } from '../../../functions/shared/db/log-rows.js';
import { baselineStoreBatch, baselineToLogRow } from './baseline-store.js';
import { createBatchSource, type BenchBatch } from './bench-batches.js';
import { parseDbBenchArgs, type DbBenchOptions } from './bench-options.js';
import { startBenchPostgres } from './bench-postgres.js';
import { cpuUsBetween, readProcessCpuTime } from './process-cpu-time.js';

type VariantName = 'baseline' | 'current';

interface BatchSample {
  /** Client µs in the detector's per-record check (map-record's toLogRow). */
  readonly checkUs: number;
  /** Client µs in the store call. */
  readonly storeUs: number;
  readonly backendUs: number;
  readonly wallMs: number;
}

interface Variant {
  readonly name: VariantName;
  readonly pool: pg.Pool;
  readonly backendPid: number;
  readonly samples: BatchSample[];
  /** Runs the detector's steps for one batch; returns the client µs of the check step. */
  run(batch: BenchBatch): Promise<number>;
}

const PARTITIONS = 3;
const SETTLE_AFTER_GC_MS = 30;

/**
 * A full garbage collection before each measured batch, so the garbage of generating the batch is
 * never collected (and billed) inside a measurement; what the store itself allocates still is.
 */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as (options?: { type: 'major' | 'minor'; execution?: 'sync' | 'async' }) => void;
/** Collects, then lets the collector's background threads (sweeping) finish before measuring. */
async function collectGarbage(): Promise<void> {
  gc({ type: 'major', execution: 'sync' });
  await delay(SETTLE_AFTER_GC_MS);
}
const SEED = 42;

async function main(): Promise<void> {
  const options = parseDbBenchArgs(process.argv.slice(2));
  const postgres = await startBenchPostgres();
  const stopOnSignal = (): void => void postgres.stop().finally(() => process.exit(130));
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  const pools: pg.Pool[] = [];
  try {
    const baselinePool = track(pools, onePool(postgres.baselineUrl!));
    const currentPool = track(pools, onePool(postgres.currentUrl));
    const variants: Variant[] = [
      await variant('baseline', baselinePool, async (batch) => {
        const started = process.cpuUsage();
        for (const log of batch.logs) baselineToLogRow(log, 'log record');
        const checkUs = cpuUsSince(started);
        await baselineStoreBatch(baselinePool, batch.logs, batch.anomalies);
        return checkUs;
      }),
      await variant('current', currentPool, async (batch) => {
        const started = process.cpuUsage();
        const rows = batch.logs.map((log) => toLogRow(log, 'log record'));
        const checkUs = cpuUsSince(started);
        await storeDetectorBatch(currentPool, { logs: rows, anomalies: batch.anomalies, deadLetters: [] });
        return checkUs;
      }),
    ];
    // The same stream for both variants: equal seeds give equal batches.
    const sources = new Map(variants.map((v) => [v.name, createBatchSource({ partitions: PARTITIONS, anomalyRate: options.anomalyRate, seed: SEED })]));

    for (let i = 0; i < options.warmup + options.batches; i++) {
      const order = i % 2 === 0 ? variants : [...variants].reverse();
      for (const v of order) {
        const batch = sources.get(v.name)!.next(options.rows);
        const sample = await measure(v, batch);
        if (i >= options.warmup) v.samples.push(sample);
      }
    }

    const results = [];
    for (const v of variants) {
      const stored = await v.pool.query<{ n: string }>('SELECT count(*) AS n FROM logs');
      results.push(summarise(v, options, Number(stored.rows[0]!.n)));
    }
    for (const result of results) console.log(JSON.stringify(result));
    const [base, current] = results as [Summary, Summary];
    console.log(
      JSON.stringify({
        summary: 'current / baseline (lower is cheaper)',
        clientCpuRatio: round(current.clientUsPerRow / base.clientUsPerRow, 3),
        backendCpuRatio: round(current.backendUsPerRow / base.backendUsPerRow, 3),
        rowsPerSecondRatio: round(current.rowsPerSecond / base.rowsPerSecond, 3),
      }),
    );
  } finally {
    await Promise.all(pools.map((pool) => pool.end().catch(() => undefined)));
    await postgres.stop();
    process.off('SIGINT', stopOnSignal);
    process.off('SIGTERM', stopOnSignal);
  }
}

/** One connection, so one backend process serves every statement of the variant. */
function onePool(connectionString: string): pg.Pool {
  return createPool({ connectionString, max: 1, idleTimeoutMs: 3_600_000, applicationName: 'bench-db' });
}

function track(pools: pg.Pool[], pool: pg.Pool): pg.Pool {
  pools.push(pool);
  return pool;
}

async function variant(name: VariantName, pool: pg.Pool, run: Variant['run']): Promise<Variant> {
  return { name, pool, backendPid: await backendPid(pool), samples: [], run };
}

async function backendPid(pool: pg.Pool): Promise<number> {
  const result = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  return result.rows[0]!.pid;
}

async function measure(v: Variant, batch: BenchBatch): Promise<BatchSample> {
  const pid = await backendPid(v.pool);
  await collectGarbage();
  if (pid !== v.backendPid) throw new Error(`${v.name}: the pool's connection changed (backend ${v.backendPid} → ${pid}); the figures would be wrong`);
  const backendBefore = readProcessCpuTime(pid);
  const wallBefore = performance.now();
  const clientBefore = process.cpuUsage();
  const checkUs = await v.run(batch);
  const clientUs = cpuUsSince(clientBefore);
  const wallMs = performance.now() - wallBefore;
  const backendUs = cpuUsBetween(backendBefore, readProcessCpuTime(pid));
  return { checkUs, storeUs: clientUs - checkUs, backendUs, wallMs };
}

function cpuUsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return used.user + used.system;
}

interface Summary {
  readonly variant: VariantName;
  readonly batches: number;
  readonly rowsPerBatch: number;
  readonly clientUsPerRow: number;
  readonly checkUsPerRow: number;
  readonly storeUsPerRow: number;
  readonly backendUsPerRow: number;
  readonly rowsPerSecond: number;
  readonly storedRows: number;
}

function summarise(v: Variant, options: DbBenchOptions, storedRows: number): Summary {
  const perRow = (values: number[]): number => round(median(values) / options.rows, 2);
  return {
    variant: v.name,
    batches: v.samples.length,
    rowsPerBatch: options.rows,
    clientUsPerRow: perRow(v.samples.map((s) => s.checkUs + s.storeUs)),
    checkUsPerRow: perRow(v.samples.map((s) => s.checkUs)),
    storeUsPerRow: perRow(v.samples.map((s) => s.storeUs)),
    backendUsPerRow: perRow(v.samples.map((s) => s.backendUs)),
    rowsPerSecond: Math.round(options.rows / (median(v.samples.map((s) => s.wallMs)) / 1_000)),
    storedRows,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
