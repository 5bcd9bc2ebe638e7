import { createServer } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPool } from '../../../functions/shared/db/index.js';
import { InfrastructureError } from '../../../functions/shared/errors.js';
import type { KafkaRecordInput } from '../../../functions/shared/kafka/index.js';
import { runMigrations } from '../../../infra/db/migrator.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { mskEvent } from '../../helpers/kafka-events.js';
import { startRestartablePostgres, type RestartablePostgres } from '../../helpers/restartable-postgres.js';
import { startTestS3, type TestS3 } from '../../helpers/s3.js';
import { MODEL_BUCKET, MemoryDetectorLogger, generatedBatch, rejectionOf, tableCounts, testDetector, truncateDetectorTables } from './detector-kit.js';

let server: RestartablePostgres;
/** For migrations and checks; every detector gets a fresh pool of its own (a container's). */
let pool: pg.Pool;
let s3: TestS3;
const detectorPools: pg.Pool[] = [];

/** A fresh pool, as a cold container creates one; ended after the file. */
function containerPool(): pg.Pool {
  const fresh = createPool({ connectionString: server.connectionString(), connectionTimeoutMs: 2_000 });
  detectorPools.push(fresh);
  return fresh;
}

beforeAll(async () => {
  [server, s3] = await Promise.all([startRestartablePostgres(), startTestS3([MODEL_BUCKET])]);
  pool = createPool({ connectionString: server.connectionString(), connectionTimeoutMs: 2_000 });
  await runMigrations(pool);
});
afterAll(async () => {
  await Promise.all([pool, ...detectorPools].map((each) => each?.end()));
  await Promise.all([server?.dispose(), s3?.stop()]);
});
beforeEach(async () => {
  await server.up();
  await truncateDetectorTables(pool);
});

/** A batch of valid logs plus one record without a value (a dead letter). */
function batchWithOneDeadLetter(partition: number): { event: unknown; records: number } {
  const { inputs } = generatedBatch({ count: 20, partition, firstOffset: 0, seed: 21 + partition });
  const poison: KafkaRecordInput = { topic: 'logs', partition, offset: 20, timestamp: Date.now(), value: null };
  return { event: mskEvent([...inputs, poison]), records: inputs.length + 1 };
}

/** Polls `probe` until it returns true (a safety limit, not a timing assertion). */
async function eventually(probe: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 400; attempt++) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`gave up waiting until ${what}`);
}

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('detector: the database goes down', () => {
  it('throws InfrastructureError when the server is stopped; after the restart nothing of the batch is there and a redelivery stores it', async () => {
    // Prepare
    const logger = new MemoryDetectorLogger();
    const detector = testDetector({ pool: containerPool(), s3: s3.client, prefix: 'down/models/', logger });
    const { event, records } = batchWithOneDeadLetter(0);
    await server.down();

    // Act
    const error = await rejectionOf(detector.handle(event));
    await server.up();

    // Assess
    expect(error).toBeInstanceOf(InfrastructureError);
    // The first statement of a batch reads the state of its streams that this container does not hold.
    expect(error.message).toMatch(/^readDetectorStreams: PostgreSQL failed/);
    expect(logger.lines.filter((line) => line.level === 'error')).toEqual([
      expect.objectContaining({ fields: expect.objectContaining({ records, error: expect.stringMatching(/^InfrastructureError: /) }) }),
    ]);
    expect(await tableCounts(pool)).toEqual({ logs: 0, anomalies: 0, deadLetters: 0, models: 0 });
    expect(await detector.handle(event)).toMatchObject({ records, stored: records - 1, deadLetters: 1, duplicates: 0 });
  });

  it('rolls back a transaction cut off half-way (logs inserted, dead letters not yet): nothing is half-written', async () => {
    // Prepare: another session locks dead_letters, so the batch's transaction stops after inserting its logs
    const logger = new MemoryDetectorLogger();
    const detector = testDetector({ pool: containerPool(), s3: s3.client, prefix: 'down/models/', logger });
    const { event, records } = batchWithOneDeadLetter(1);
    const locker = new pg.Client({ connectionString: server.connectionString() });
    const monitor = new pg.Client({ connectionString: server.connectionString() });
    for (const client of [locker, monitor]) client.on('error', () => undefined); // they die with the server
    await Promise.all([locker.connect(), monitor.connect()]);
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE dead_letters IN ACCESS EXCLUSIVE MODE');
    const handling = rejectionOf(detector.handle(event));
    await eventually(async () => {
      const waiting = await monitor.query(
        `SELECT a.pid FROM pg_stat_activity a
         JOIN pg_locks l ON l.pid = a.pid AND l.granted AND l.mode = 'RowExclusiveLock'
         JOIN pg_class c ON c.oid = l.relation AND c.relname = 'logs'
         WHERE a.wait_event_type = 'Lock' AND a.query LIKE '%INSERT INTO dead_letters%'`,
      );
      return (waiting.rowCount ?? 0) > 0;
    }, 'the batch has inserted its logs and waits to insert its dead letter');

    // Act
    await server.down();
    const error = await handling;
    await server.up();

    // Assess: the failure is the batch's (thrown, logged), never an uncaught error of the process
    expect(error).toBeInstanceOf(InfrastructureError);
    expect(logger.lines.map((line) => line.message)).toEqual(expect.arrayContaining([expect.stringMatching(/^detector batch failed/)]));
    expect(await tableCounts(pool)).toEqual({ logs: 0, anomalies: 0, deadLetters: 0, models: 0 });
    expect(await detector.handle(event)).toMatchObject({ records, stored: records - 1, deadLetters: 1 });
    await Promise.allSettled([locker.end(), monitor.end()]);
  });
});

describe('detector: S3 goes down', () => {
  it('throws InfrastructureError when S3 is unreachable and no model is in hand, before writing anything', async () => {
    // Prepare
    const unreachable = s3.newClient(`http://127.0.0.1:${await closedPort()}`);
    const detector = testDetector({ pool: containerPool(), s3: unreachable, prefix: 'unreachable/models/' });
    const { event } = batchWithOneDeadLetter(2);

    // Act
    const error = await rejectionOf(detector.handle(event));

    // Assess
    expect(error).toBeInstanceOf(InfrastructureError);
    expect(error.message).toMatch(/^S3 GetObject s3:\/\/models\/unreachable\/models\/latest failed/);
    expect(await tableCounts(pool)).toEqual({ logs: 0, anomalies: 0, deadLetters: 0, models: 0 });
  });

  it('logs a training failure and still returns the stored batch', async () => {
    // Prepare: batch 1 reads the (empty) pointer; S3 then stops before batch 2, whose training is due
    const ownS3 = await startTestS3([MODEL_BUCKET]);
    const logger = new MemoryDetectorLogger();
    const detector = testDetector({ pool: containerPool(), s3: ownS3.newClient(), prefix: 'training/models/', logger, clock: new FakeClock() });
    try {
      const first = await detector.handle(mskEvent(generatedBatch({ count: 100, partition: 0, firstOffset: 0, seed: 31 }).inputs));
      expect(first).toMatchObject({ stored: 100, modelVersion: null });
      await ownS3.stop();

      // Act
      const second = await detector.handle(mskEvent(generatedBatch({ count: 150, partition: 1, firstOffset: 0, seed: 32, startIndex: 100 }).inputs));

      // Assess
      expect(second).toEqual({ records: 150, stored: 150, duplicates: 0, anomalies: 0, deadLetters: 0, modelVersion: null });
      expect(logger.lastBatch()).toMatchObject({ training: 'failed' });
      expect(logger.lines.filter((line) => line.level === 'warn')).toEqual([
        expect.objectContaining({ message: expect.stringMatching(/^model training failed/), fields: { error: expect.stringMatching(/^InfrastructureError: S3 /) } }),
      ]);
      expect(await tableCounts(pool)).toEqual({ logs: 250, anomalies: 0, deadLetters: 0, models: 0 });
    } finally {
      await ownS3.stop().catch(() => undefined);
    }
  });
});
