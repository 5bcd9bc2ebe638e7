/**
 * A PostgreSQL server of a test's own that can be stopped and started again with its data kept —
 * for "the database goes down, then comes back" tests. (The shared helper's dedicated server
 * removes its directory when stopped.) Same binaries and test settings as embedded-postgres-server.ts.
 *
 * Invariants: the server keeps its port across restarts; `dispose()` stops it if running and always
 * removes its directory; `down()` / `up()` are idempotent.
 */
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import EmbeddedPostgres from '../../infra/local-services/embedded-postgres.js';
import { freePort } from './free-port.js';
import { postgresUrl, type PostgresServerInfo } from './embedded-postgres-server.js';

export interface RestartablePostgres extends PostgresServerInfo {
  connectionString(database?: string): string;
  /** Fast shutdown (SIGINT): open sessions are terminated, open transactions rolled back. */
  down(): Promise<void>;
  /** Starts the server again on the same port with the same data. */
  up(): Promise<void>;
  /** Stops the server and removes its directory. */
  dispose(): Promise<void>;
}

const run = promisify(execFile);

export async function startRestartablePostgres(): Promise<RestartablePostgres> {
  const password = randomBytes(12).toString('hex');
  const asRoot = process.getuid?.() === 0;
  if (asRoot && !(await run('id', ['-u', 'postgres']).then(() => true, () => false))) {
    await run('groupadd', ['postgres']).catch(() => undefined);
    await run('useradd', ['-g', 'postgres', 'postgres']).catch(() => undefined);
  }
  const root = await mkdtemp(join(tmpdir(), 'restartable-pg-'));
  await chmod(root, 0o777);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: join(root, 'data'),
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--no-sync'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off', '-c', 'max_connections=50'],
    onLog: () => undefined,
    onError: () => undefined,
  });
  let running = false;
  const info: PostgresServerInfo = { host: '127.0.0.1', port, user: 'postgres', password };
  const down = async (): Promise<void> => {
    if (!running) return;
    running = false;
    await server.stop();
  };
  const up = async (): Promise<void> => {
    if (running) return;
    await server.start();
    running = true;
  };
  try {
    await server.initialise();
    await up();
  } catch (error) {
    await down().catch(() => undefined);
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  return {
    ...info,
    connectionString: (database = 'postgres') => postgresUrl(info, database),
    down,
    up,
    async dispose() {
      try {
        await down();
      } finally {
        await rm(root, { recursive: true, force: true });
      }
    },
  };
}
