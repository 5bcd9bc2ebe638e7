/**
 * The connection pool every repository takes. Sized for Lambda: one invocation handles one batch at
 * a time, so a pool of 2 (one for the batch transaction, one for an advisory-lock session or a
 * side query) is enough and keeps `functions × concurrency × max` under the server's limit.
 * Connections that the server or network drops emit 'error' — on the pool when idle, on the
 * client when checked out; both are handled (`onIdleError` / `onInUseError`, default: ignored) so
 * they never crash the process: the failing query rejects and the next one gets a fresh connection.
 */
import pg from 'pg';
import { ConfigError } from '../errors.js';
import { checkConnectionString, type DatabaseConnection } from './connection-config.js';

export interface PoolOptions {
  /** Maximum connections. Default 2 (Lambda); 1..100. */
  readonly max?: number;
  /** Server-side statement_timeout in ms; 0 disables it. Default 15 000. */
  readonly statementTimeoutMs?: number;
  /** How long to wait for a connection (TCP + auth) in ms. Default 5 000. */
  readonly connectionTimeoutMs?: number;
  /** Idle connections are closed after this many ms. Default 30 000. */
  readonly idleTimeoutMs?: number;
  /** Shown in pg_stat_activity. Default "log-anomaly-pipeline". */
  readonly applicationName?: string;
  /** Called when an idle pooled connection fails (e.g. the server restarted). */
  readonly onIdleError?: (error: Error) => void;
  /** Called when a checked-out connection fails; its query has already rejected (default: ignored). */
  readonly onInUseError?: (error: Error) => void;
}

export type PoolConfig = DatabaseConnection & PoolOptions;

/** A pool, a pooled client or a standalone client: anything repositories can query through. */
export type Db = pg.Pool | pg.PoolClient | pg.Client;

export const DEFAULT_POOL_MAX = 2;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 15_000;
export const DEFAULT_CONNECTION_TIMEOUT_MS = 5_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

export function createPool(config: PoolConfig): pg.Pool {
  const max = checkedInteger(config.max ?? DEFAULT_POOL_MAX, 'max', 1, 100);
  const statementTimeoutMs = checkedInteger(config.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS, 'statementTimeoutMs', 0, 86_400_000);
  const connectionTimeoutMs = checkedInteger(config.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS, 'connectionTimeoutMs', 1, 600_000);
  const idleTimeoutMs = checkedInteger(config.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS, 'idleTimeoutMs', 1, 86_400_000);

  const pool = new pg.Pool({
    ...connectionOptions(config),
    max,
    connectionTimeoutMillis: connectionTimeoutMs,
    idleTimeoutMillis: idleTimeoutMs,
    keepAlive: true,
    application_name: config.applicationName ?? 'log-anomaly-pipeline',
    ...(statementTimeoutMs > 0 ? { statement_timeout: statementTimeoutMs } : {}),
    // A transaction left open by a crashed invocation must not hold row locks for long.
    idle_in_transaction_session_timeout: Math.max(statementTimeoutMs, 60_000),
  });
  const onIdleError = config.onIdleError ?? (() => undefined);
  pool.on('error', (error) => onIdleError(error));
  // pg-pool listens for errors only on IDLE clients. When the server goes away while a client is
  // checked out (mid-transaction), the client rejects its query — which the caller turns into an
  // InfrastructureError — and also emits 'error'; without a listener that event would be an
  // uncaught exception that kills the Lambda runtime instead of failing one batch.
  const onInUseError = config.onInUseError ?? (() => undefined);
  pool.on('connect', (client) => client.on('error', (error) => onInUseError(error)));
  return pool;
}

/** True for a pg.Pool (which hands out clients) as opposed to a single client session. */
export function isPool(db: Db): db is pg.Pool {
  return typeof (db as Partial<pg.Pool>).totalCount === 'number';
}

function connectionOptions(config: DatabaseConnection): pg.PoolConfig {
  const ssl = config.ssl === undefined ? {} : { ssl: config.ssl };
  if ('connectionString' in config) {
    checkConnectionString(config.connectionString);
    return { connectionString: config.connectionString, ...ssl };
  }
  if (typeof config.host !== 'string' || config.host.trim() === '') throw new ConfigError('database host must not be empty');
  if (typeof config.database !== 'string' || config.database.trim() === '') throw new ConfigError('database name must not be empty');
  if (typeof config.user !== 'string' || config.user.trim() === '') throw new ConfigError('database user must not be empty');
  const password = config.password;
  if (password !== undefined && typeof password !== 'string' && typeof password !== 'function') {
    throw new ConfigError('database password must be a string, a function returning one, or undefined');
  }
  const port = checkedInteger(config.port, 'port', 1, 65_535);
  return { host: config.host, port, database: config.database, user: config.user, ...(password === undefined ? {} : { password }), ...ssl };
}

function checkedInteger(value: unknown, what: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`pool option ${what} must be an integer in [${min}, ${max}] (got ${String(value)})`);
  }
  return value;
}
