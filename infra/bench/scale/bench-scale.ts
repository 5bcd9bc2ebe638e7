/**
 * `npm run bench:scale`: what reading the stored data costs as it grows (issue 21) — the dashboard's
 * real-time snapshot, the status line's query, the detector's batch write and one day's retention,
 * at 1 M, 10 M and 50 M rows, in a throw-away embedded PostgreSQL (bench-postgres.ts, as bench:db).
 * run-scale-bench.ts does the work; this file parses the flags, checks the disk, starts and always
 * removes the server, and prints: one JSON line per checkpoint and a summary on stdout, progress and
 * (unless --json) a table on stderr.
 */
import { statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { startBenchPostgres, type BenchPostgres } from '../db/bench-postgres.js';
import { runScaleBench, fmt } from './run-scale-bench.js';
import { formatTable, gb } from './scale-report.js';
import { diskBytesNeeded, parseScaleArgs, scaleUsage, ScaleUsageError, type ScaleOptions } from './scale-options.js';

async function main(): Promise<number> {
  let options: ScaleOptions;
  try {
    options = parseScaleArgs(process.argv.slice(2));
    if (options.help) {
      console.log(scaleUsage());
      return 0;
    }
    await checkDisk(options);
  } catch (error) {
    if (error instanceof ScaleUsageError) {
      console.error(`bench:scale: ${error.message}`);
      return 2;
    }
    throw error;
  }

  const log = (line: string): void => console.error(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
  log(`starting PostgreSQL in ${tmpdir()}`);
  const postgres: BenchPostgres = await startBenchPostgres({ baseline: false, dirPrefix: 'bench-scale-' });
  const stopOnSignal = (): void => void postgres.stop().finally(() => process.exit(130));
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    log(`data directory ${postgres.dir}; ${fmt(options.rows)} rows, checkpoints ${options.checkpoints.map(fmt).join(', ')}`);
    const { checkpoints, summary } = await runScaleBench(postgres.currentUrl, options, {
      progress: log,
      afterCheckpoint: (result) => {
        console.log(JSON.stringify(result));
        if (!options.json) log(`checkpoint ${fmt(result.rows)}: snapshot ${result.snapshot60.ms} ms (60 min), ${result.snapshot1440.ms} ms (1440 min); status ${result.status.ms} ms; batch ${result.batch.ms} ms`);
      },
    });
    console.log(JSON.stringify(summary));
    if (!options.json) console.error(`\n${formatTable(checkpoints, summary)}`);
    if (summary.rollupsEqualRawCounts === false) {
      console.error('bench:scale: the rollups do NOT equal the raw counts after the cleanup (see rollupCheck in the last JSON line)');
      return 1;
    }
    return 0;
  } finally {
    process.off('SIGINT', stopOnSignal);
    process.off('SIGTERM', stopOnSignal);
    log('stopping PostgreSQL and removing its data directory');
    await postgres.stop();
  }
}

/** Refuses a run the temporary directory's disk cannot hold (an exit code 2, before anything starts). */
async function checkDisk(options: ScaleOptions): Promise<void> {
  const dir = tmpdir();
  const stats = await statfs(dir);
  const free = stats.bavail * stats.bsize;
  const needed = diskBytesNeeded(options);
  if (free < needed) {
    throw new ScaleUsageError(
      `${fmt(options.rows)} rows need about ${gb(needed)} GB under ${dir} (TMPDIR), and only ${gb(free)} GB are free: ` +
        'set TMPDIR to a directory on a disk with space, or give fewer --rows',
    );
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`bench:scale failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
