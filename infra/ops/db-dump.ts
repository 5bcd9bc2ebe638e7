/**
 * Backup and restore of the configured database with PostgreSQL's own tools: `pg_dump` writes a
 * plain SQL file (with DROP … IF EXISTS before each object, no owners or grants, so it restores into
 * any database: embedded, compose, RDS), `psql` replays it in one transaction that stops at the
 * first error. The connection comes from DATABASE_URL or POSTGRES_* (functions/shared/config).
 */
import { execFile } from 'node:child_process';
import { chmod, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import { describeDatabaseConfig, loadDatabaseConfig, type DatabaseConfig } from '../../functions/shared/config/index.js';
import { ConfigError, InfrastructureError, ValidationError } from '../../functions/shared/errors.js';
import { repoRoot } from '../deploy/osls.js';
import { findPgTool, libpqEnv, type PgTool } from './pg-tools.js';

export const defaultBackupDir = join(repoRoot, '.data', 'backups');
/** The first line pg_dump writes in plain format, after its "--" opener. */
const dumpHeader = /^--\r?\n-- PostgreSQL database dump\r?\n/;

export interface ServerInfo {
  readonly major: number;
  readonly version: string;
}

export async function serverInfo(config: DatabaseConfig): Promise<ServerInfo> {
  const client = new pg.Client({ ...config, password: config.password?.(), ssl: config.ssl ? { rejectUnauthorized: false } : false });
  try {
    await client.connect();
    const result = await client.query<{ server_version_num: string; server_version: string }>(
      "SELECT current_setting('server_version_num') AS server_version_num, current_setting('server_version') AS server_version",
    );
    const row = result.rows[0]!;
    return { major: Math.floor(Number(row.server_version_num) / 10_000), version: row.server_version.split(' ')[0]! };
  } catch (error) {
    throw new InfrastructureError(`cannot reach PostgreSQL at ${describeDatabaseConfig(config)}: ${(error as Error).message}`, { cause: error });
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface BackupResult {
  readonly file: string;
  readonly bytes: number;
  readonly database: string;
  readonly server: string;
  readonly pgDump: string;
}

/** Dumps to `out` (default: .data/backups/<database>-<UTC time>.sql); never overwrites a file. */
export async function backupDatabase(env: Readonly<Record<string, string>>, out?: string): Promise<BackupResult> {
  const config = loadDatabaseConfig(env);
  const server = await serverInfo(config);
  const tool = await findPgTool('pg_dump', server.major, env);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = resolve(out ?? join(defaultBackupDir, `${config.database.replace(/[^A-Za-z0-9_-]/g, '_')}-${stamp}.sql`));
  if (await stat(file).then(() => true, () => false)) throw new ConfigError(`${file} exists already; choose another --out (a backup never overwrites one)`);
  await mkdir(dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  try {
    // The file exists (mode 0600: it holds the data) before pg_dump writes into it.
    await (await open(partial, 'w', 0o600)).close();
    await runTool(tool, ['--format=plain', '--clean', '--if-exists', '--no-owner', '--no-privileges', '--file', partial], config, env);
    await chmod(partial, 0o600);
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  return { file, bytes: (await stat(file)).size, database: describeDatabaseConfig(config), server: server.version, pgDump: `${tool.path} ${tool.version}` };
}

export interface RestoreResult {
  readonly restored: string;
  readonly database: string;
  readonly migrationsRecorded: number;
}

/** Replays a plain pg_dump file into the configured database, all or nothing. */
export async function restoreDatabase(env: Readonly<Record<string, string>>, file: string): Promise<RestoreResult> {
  const path = resolve(file);
  await checkDumpFile(path);
  const config = loadDatabaseConfig(env);
  await serverInfo(config);
  const tool = await findPgTool('psql', 10, env);
  await runTool(tool, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '--single-transaction', '-f', path], config, env);
  const client = new pg.Client({ ...config, password: config.password?.(), ssl: config.ssl ? { rejectUnauthorized: false } : false });
  await client.connect();
  try {
    const recorded = await client.query<{ count: string }>('SELECT count(*) AS count FROM schema_migrations').catch(() => ({ rows: [{ count: '0' }] }));
    return { restored: path, database: describeDatabaseConfig(config), migrationsRecorded: Number(recorded.rows[0]!.count) };
  } finally {
    await client.end();
  }
}

/** A regular, non-empty file that starts the way pg_dump's plain format does. */
export async function checkDumpFile(path: string): Promise<void> {
  const info = await stat(path).catch(() => null);
  if (info === null) throw new ConfigError(`${path} does not exist`);
  if (!info.isFile()) throw new ValidationError(`${path} is not a regular file`);
  if (info.size === 0) throw new ValidationError(`${path} is empty`);
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(64);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    if (!dumpHeader.test(head.subarray(0, bytesRead).toString('latin1'))) {
      throw new ValidationError(`${path} is not a plain-format pg_dump file (it must start with "-- PostgreSQL database dump"); nothing was restored`);
    }
  } finally {
    await handle.close();
  }
}

/** Runs pg_dump/psql with the connection in libpq variables; its stderr explains a failure. */
function runTool(tool: PgTool, args: string[], config: DatabaseConfig, env: Readonly<Record<string, string>>): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    execFile(tool.path, args, { env: libpqEnv(config, env), maxBuffer: 16 * 1024 * 1024 }, (error, _stdout, stderr) => {
      if (!error) return resolvePromise();
      const detail = stderr.trim().split('\n').slice(-8).join('\n');
      reject(new InfrastructureError(`${tool.path} failed against ${describeDatabaseConfig(config)} (exit ${(error as { code?: unknown }).code}): ${detail}`, { cause: error }));
    });
  });
}
