import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import pg from 'pg';
import { InfrastructureError } from '../../../../functions/shared/errors.js';
import {
  countLogs,
  createPool,
  insertPerformanceMetrics,
  recentLogsForTraining,
  storeDetectorBatch,
  withAdvisoryLock,
} from '../../../../functions/shared/db/index.js';
import { runMigrations } from '../../../../infra/db/migrator.js';
import { createTestDatabase, startDedicatedPostgres, type PostgresServer, type TestDatabase } from '../../../helpers/postgres.js';
import { newLog } from './db-fixtures.js';

const PASSWORD = 'Sup3r-Secret-Pa55word';

/** A port nothing listens on (bound, read, closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => null,
    (error: unknown) => error as Error,
  );
  if (outcome === null) throw new Error('expected the call to fail');
  return outcome;
}

describe('when the database server goes down', () => {
  let server: PostgresServer;
  let pool: pg.Pool;
  const idleErrors: Error[] = [];

  beforeAll(async () => {
    server = await startDedicatedPostgres({ password: PASSWORD });
    pool = createPool({ connectionString: server.connectionString(), connectionTimeoutMs: 2_000, onIdleError: (e) => idleErrors.push(e) });
    await runMigrations(pool);
  });
  afterAll(async () => {
    await pool.end();
    await server.stop();
  });

  it('every repository call fails with InfrastructureError (cause kept, no password in the message)', async () => {
    // Prepare: the pool works and holds an idle connection, then the server stops
    const stored = await storeDetectorBatch(pool, { logs: [newLog(1)], anomalies: [], deadLetters: [] });
    expect(stored.logs.inserted).toBe(1);
    await server.stop();

    // Act
    const errors = [
      await failure(storeDetectorBatch(pool, { logs: [newLog(2)], anomalies: [], deadLetters: [] })),
      await failure(recentLogsForTraining(pool, 10)),
      await failure(countLogs(pool)),
      await failure(insertPerformanceMetrics(pool, [{
        experimentId: null, componentType: 'detector', componentId: 'd1', metricName: 'm', metricValue: 1, unit: null,
        timestamp: new Date(), source: { idempotencyKey: 'k' },
      }])),
      await failure(withAdvisoryLock(pool, 'train-model', async () => 'never')),
    ];

    // Assess
    for (const error of errors) {
      expect(error).toBeInstanceOf(InfrastructureError);
      expect(error.cause).toBeDefined();
      expect(error.message).toMatch(/PostgreSQL failed/);
      expect(error.message).not.toContain(PASSWORD);
    }
    expect(errors[0]!.message).toMatch(/^storeDetectorBatch: /);
  });
});

describe('database errors that are not the data', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('connection refused → InfrastructureError without the password of the connection string', async () => {
    // Prepare
    const pool = createPool({ connectionString: `postgres://app:${PASSWORD}@127.0.0.1:${await closedPort()}/app`, connectionTimeoutMs: 2_000 });

    try {
      // Act
      const error = await failure(countLogs(pool));

      // Assess
      expect(error).toBeInstanceOf(InfrastructureError);
      expect(error.message).toMatch(/ECONNREFUSED/);
      expect(error.message).not.toContain(PASSWORD);
    } finally {
      await pool.end();
    }
  });

  it('wrong password (given as a function) → InfrastructureError (28P01) that does not repeat the password', async () => {
    // Prepare
    const pool = createPool({ host: db.server.host, port: db.server.port, database: db.name, user: db.server.user, password: () => PASSWORD });

    try {
      // Act
      const error = await failure(countLogs(pool));

      // Assess
      expect(error).toBeInstanceOf(InfrastructureError);
      expect(error.message).toMatch(/SQLSTATE 28P01/);
      expect(error.message).not.toContain(PASSWORD);
    } finally {
      await pool.end();
    }
  });

  it('statement timeout (a table locked elsewhere) → InfrastructureError 57014, and the batch is not stored', async () => {
    // Prepare
    const locker = new pg.Client({ connectionString: db.connectionString });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE logs IN ACCESS EXCLUSIVE MODE');
    const impatient = createPool({ connectionString: db.connectionString, statementTimeoutMs: 100 });

    try {
      // Act
      const error = await failure(storeDetectorBatch(impatient, { logs: [newLog(7)], anomalies: [], deadLetters: [] }));

      // Assess
      expect(error).toBeInstanceOf(InfrastructureError);
      expect(error.message).toMatch(/SQLSTATE 57014/);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
      await impatient.end();
    }
    expect(await countLogs(db.pool)).toBe(0);
  });

  it('a database without the schema → InfrastructureError naming the missing table', async () => {
    // Prepare
    const empty = await createTestDatabase({ migrate: false });

    try {
      // Act
      const error = await failure(storeDetectorBatch(empty.pool, { logs: [newLog(1)], anomalies: [], deadLetters: [] }));

      // Assess
      expect(error).toBeInstanceOf(InfrastructureError);
      expect(error.message).toMatch(/SQLSTATE 42P01.*relation "logs" does not exist/);
    } finally {
      await empty.drop();
    }
  });
});
