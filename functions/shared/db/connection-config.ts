/**
 * Where the database is: a connection string, or host/port/database/user/password parts.
 * `databaseConnectionFromEnv` reads `DATABASE_URL` (preferred when set) or `POSTGRES_HOST`,
 * `POSTGRES_PORT` (default 5432), `POSTGRES_DB`, `POSTGRES_USER`, `POSTGRES_PASSWORD`, and
 * `POSTGRES_SSL` ("true"/"false", default false). Error messages name variables, never values.
 */
import { ConfigError } from '../errors.js';

export type DatabaseConnection =
  | { readonly connectionString: string; readonly ssl?: boolean }
  | {
      readonly host: string;
      readonly port: number;
      readonly database: string;
      readonly user: string;
      /** A function is called at connect time (keeps the secret out of logs); undefined: no password. */
      readonly password: string | (() => string) | undefined;
      readonly ssl?: boolean;
    };

export type Env = Readonly<Record<string, string | undefined>>;

const PART_NAMES = ['POSTGRES_HOST', 'POSTGRES_DB', 'POSTGRES_USER', 'POSTGRES_PASSWORD'] as const;

export function databaseConnectionFromEnv(env: Env): DatabaseConnection {
  const ssl = parseSsl(env['POSTGRES_SSL']);
  const url = env['DATABASE_URL']?.trim();
  if (url) {
    checkConnectionString(url, 'DATABASE_URL');
    return ssl === undefined ? { connectionString: url } : { connectionString: url, ssl };
  }
  const missing = PART_NAMES.filter((name) => env[name] === undefined || (name !== 'POSTGRES_PASSWORD' && env[name]!.trim() === ''));
  if (missing.length > 0) {
    throw new ConfigError(
      `database connection is not configured: set DATABASE_URL, or all of ${PART_NAMES.join(', ')} ` +
        `(and optionally POSTGRES_PORT); missing: ${missing.join(', ')}`,
    );
  }
  const port = parsePort(env['POSTGRES_PORT']);
  return {
    host: env['POSTGRES_HOST']!.trim(),
    port,
    database: env['POSTGRES_DB']!.trim(),
    user: env['POSTGRES_USER']!.trim(),
    password: env['POSTGRES_PASSWORD']!,
    ...(ssl === undefined ? {} : { ssl }),
  };
}

/** Throws ConfigError unless `value` is a postgres:// or postgresql:// URL with a host. */
export function checkConnectionString(value: string, what = 'connection string'): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${what} is not a valid URL (expected postgres://user:password@host:port/database)`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(`${what} must start with postgres:// or postgresql:// (got ${url.protocol}//)`);
  }
  if (url.hostname === '') throw new ConfigError(`${what} has no host`);
}

function parsePort(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return 5432;
  const port = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new ConfigError(`POSTGRES_PORT must be an integer between 1 and 65535 (got "${raw}")`);
  }
  return port;
}

function parseSsl(raw: string | undefined): boolean | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = raw.trim().toLowerCase();
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new ConfigError(`POSTGRES_SSL must be "true" or "false" (got "${raw}")`);
}
