import { boolean, integer, matching } from './env-schemas.js';
import { EnvReader, type Env } from './env.js';
import { parseDatabaseUrl } from './database-url.js';

/**
 * PostgreSQL connection settings, shaped so `new pg.Pool(config)` accepts them as they are.
 * The password is a function (pg calls it when connecting), so logging or JSON-encoding the
 * config never shows it.
 */
export interface DatabaseConfig {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  /** Returns the password; undefined when none is configured (pg then tries PGPASSWORD / none). */
  readonly password: (() => string) | undefined;
  /** TLS to the server (sslmode=require… in DATABASE_URL, or POSTGRES_SSL). */
  readonly ssl: boolean;
  /** POSTGRES_POOL_MAX: connections per container; a Lambda container serves one event at a time. */
  readonly max: number;
  /** POSTGRES_CONNECT_TIMEOUT_MS. */
  readonly connectionTimeoutMillis: number;
}

export const databaseDefaults = { host: 'localhost', port: 5432, database: 'log_anomaly', user: 'postgres' } as const;

const hostSchema = matching(/^(?:[A-Za-z0-9._-]+|\/[^\u0000-\u001f]*|[0-9A-Fa-f:.]+)$/, 255, 'a host name, an IP address or a socket directory');
const identifierSchema = matching(/^[^\u0000-\u001f]+$/, 63, 'a name without control characters');
const passwordSchema = matching(/^[^\u0000]+$/, 1024, 'a password without NUL characters');

/**
 * Reads DATABASE_URL, or else POSTGRES_HOST / POSTGRES_PORT / POSTGRES_DB / POSTGRES_USER /
 * POSTGRES_PASSWORD (defaults: localhost, 5432, log_anomaly, postgres, no password). With
 * DATABASE_URL the discrete variables are ignored, except that POSTGRES_PASSWORD fills in a
 * password the URL leaves out. Error messages never contain a password or the URL.
 */
export function loadDatabaseConfig(env: Env): DatabaseConfig {
  const reader = new EnvReader(env, 'database');
  const max = reader.read('POSTGRES_POOL_MAX', integer(1, 100), 1);
  const connectionTimeoutMillis = reader.read('POSTGRES_CONNECT_TIMEOUT_MS', integer(100, 120_000), 5_000);
  const sslFlag = reader.read('POSTGRES_SSL', boolean());
  const envPassword = reader.read('POSTGRES_PASSWORD', passwordSchema, undefined, { secret: true });

  const urlText = reader.text('DATABASE_URL');
  if (urlText !== undefined) {
    const parsed = parseDatabaseUrl(urlText);
    if ('error' in parsed) reader.problem('DATABASE_URL', parsed.error);
    return reader.finish(() => {
      const url = parsed as Exclude<typeof parsed, { error: string }>;
      return {
        host: url.host,
        port: url.port,
        database: url.database,
        user: url.user ?? databaseDefaults.user,
        password: hidden(url.password ?? envPassword),
        ssl: url.ssl ?? sslFlag ?? false,
        max,
        connectionTimeoutMillis,
      };
    });
  }

  const host = reader.read('POSTGRES_HOST', hostSchema, databaseDefaults.host);
  const port = reader.read('POSTGRES_PORT', integer(1, 65535), databaseDefaults.port);
  const database = reader.read('POSTGRES_DB', identifierSchema, databaseDefaults.database);
  const user = reader.read('POSTGRES_USER', identifierSchema, databaseDefaults.user);
  return reader.finish(() => ({
    host,
    port,
    database,
    user,
    password: hidden(envPassword),
    ssl: sslFlag ?? false,
    max,
    connectionTimeoutMillis,
  }));
}

/** "postgres://user@host:port/database" — for log lines; never includes the password. */
export function describeDatabaseConfig(config: DatabaseConfig): string {
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return `postgres://${encodeURIComponent(config.user)}@${host}:${config.port}/${encodeURIComponent(config.database)}`;
}

function hidden(password: string | undefined): (() => string) | undefined {
  return password === undefined ? undefined : () => password;
}
