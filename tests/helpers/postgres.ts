/**
 * Real PostgreSQL for tests.
 *
 * - `createTestDatabase()`: a fresh, migrated database on the run's shared server (see
 *   postgres-global-setup.ts). Each test file calls it once in beforeAll and `drop()`s it in afterAll.
 * - `startDedicatedPostgres()`: a server of the test's own, for tests that stop it (database down).
 *   Always `stop()` it in afterAll/finally; stop is idempotent and removes its directory.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createPool, type PoolOptions } from '../../functions/shared/db/pool.js';
import { runMigrations } from '../../infra/db/migrator.js';
import { postgresUrl, startEmbeddedPostgres, type PostgresServer, type PostgresServerInfo, type StartPostgresOptions } from './embedded-postgres-server.js';

export type { PostgresServer, PostgresServerInfo } from './embedded-postgres-server.js';

export interface TestDatabase {
  /** A pool on the database (createPool with the given options; default max 4). */
  readonly pool: pg.Pool;
  readonly connectionString: string;
  readonly name: string;
  readonly server: PostgresServerInfo;
  /** Ends the pool and drops the database (forcibly closing other sessions). Idempotent. */
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Apply infra/db/migrations (default true). */
  readonly migrate?: boolean;
  readonly pool?: PoolOptions;
}

let sharedServer: Promise<PostgresServerInfo> | null = null;

/** Connection details of the run's shared server, starting it if no file has yet. */
export function sharedPostgres(): Promise<PostgresServerInfo> {
  sharedServer ??= askForServer();
  return sharedServer;
}

async function askForServer(): Promise<PostgresServerInfo> {
  const url = inject('postgresControlUrl');
  if (typeof url !== 'string') {
    throw new Error('no shared PostgreSQL: vitest.config.ts must list tests/helpers/postgres-global-setup.ts in globalSetup');
  }
  const response = await fetch(`${url}/server`, { method: 'POST' });
  const body = (await response.json()) as PostgresServerInfo & { error?: string };
  if (!response.ok) throw new Error(`the shared PostgreSQL server could not start: ${body.error ?? response.status}`);
  return { host: body.host, port: body.port, user: body.user, password: body.password };
}

export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const server = await sharedPostgres();
  return createDatabaseOn(server, options);
}

/** Creates a fresh database on `server` (shared or dedicated). */
export async function createDatabaseOn(server: PostgresServerInfo, options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  await adminQuery(server, `CREATE DATABASE ${name}`);
  const connectionString = postgresUrl(server, name);
  const pool = createPool({ connectionString, max: 4, ...options.pool });
  let dropped = false;
  const drop = async (): Promise<void> => {
    if (dropped) return;
    dropped = true;
    await pool.end();
    await adminQuery(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  };
  try {
    if (options.migrate !== false) await runMigrations(pool);
  } catch (error) {
    await drop();
    throw error;
  }
  return { pool, connectionString, name, server, drop };
}

async function adminQuery(server: PostgresServerInfo, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl(server, 'postgres') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function startDedicatedPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  return startEmbeddedPostgres(options);
}
