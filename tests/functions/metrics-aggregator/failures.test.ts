import type { Admin, Kafka } from 'kafkajs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetricsAggregator, onDemandAdmin, type LagAdmin } from '../../../functions/metrics-aggregator/index.js';
import { createPool } from '../../../functions/shared/db/index.js';
import { InfrastructureError } from '../../../functions/shared/errors.js';
import type { KafkaRecordInput } from '../../../functions/shared/kafka/index.js';
import { runMigrations } from '../../../infra/db/migrator.js';
import { kafkaClient, startTestBroker, type TestBroker } from '../../helpers/broker.js';
import { commitGroupOffsets } from '../../helpers/commit-offsets.js';
import { jsonRecords, mskEvent } from '../../helpers/kafka-events.js';
import { createTestDatabase, startDedicatedPostgres, type TestDatabase } from '../../helpers/postgres.js';

const PASSWORD = 'Aggregator-Secret-Pa55';
const batchTime = Date.UTC(2024, 4, 1, 12, 0, 0);

/** Two metric records (three metrics) and one poison record on one partition of `topic`. */
function batch(topic: string, firstOffset = 0): KafkaRecordInput[] {
  const metricRecord = (componentId: string, names: string[]) => ({
    experimentId: 'exp-fail',
    componentType: 'detector',
    componentId,
    metrics: names.map((name, value) => ({ name, value })),
    ts: '2024-05-01T12:00:00.000Z',
  });
  const records = jsonRecords(topic, 0, firstOffset, [metricRecord('d-1', ['a', 'b']), metricRecord('d-2', ['a']), { not: 'a metric record' }], { firstTimestamp: batchTime });
  return records;
}

/** Newest timestamp of batch(): jsonRecords spaces records 250 ms apart. */
const newestOfBatch = batchTime + 2 * 250;

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(() => null, (error: unknown) => error as Error);
  if (outcome === null) throw new Error('expected the batch to fail');
  return outcome;
}

describe('metrics aggregator when its dependencies fail', () => {
  let broker: TestBroker;
  let kafka: Kafka;
  let admin: Admin;
  let db: TestDatabase;

  beforeAll(async () => {
    [broker, db] = await Promise.all([startTestBroker(), createTestDatabase()]);
    kafka = kafkaClient(broker);
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'logs', numPartitions: 3 }] });
    await commitGroupOffsets(kafka, 'detector', 'logs', [{ partition: 0, offset: 0 }]);
  });

  afterAll(async () => {
    await admin?.disconnect();
    await broker?.close();
    await db?.drop();
  });

  async function count(table: 'performance_metrics' | 'dead_letters' | 'consumer_lag', topic: string): Promise<number> {
    const column = table === 'performance_metrics' ? 'source_topic' : 'topic';
    const filter = table === 'consumer_lag' ? `"timestamp" = $1` : `${column} = $1`;
    const result = await db.pool.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${filter}`, [table === 'consumer_lag' ? new Date(newestOfBatch) : topic]);
    return result.rows[0].n as number;
  }

  it('database down (its server stopped): the batch throws InfrastructureError without the password, before the admin API is asked', async () => {
    // Prepare: a server of this test's own that works for one batch, then stops
    const server = await startDedicatedPostgres({ password: PASSWORD });
    const pool = createPool({ connectionString: server.connectionString(), connectionTimeoutMs: 2_000 });
    const asked: string[] = [];
    const countingAdmin: LagAdmin = {
      listTopics: () => (asked.push('listTopics'), admin.listTopics()),
      listGroups: () => (asked.push('listGroups'), admin.listGroups()),
      fetchOffsets: (options) => (asked.push('fetchOffsets'), admin.fetchOffsets(options)),
      fetchTopicOffsets: (topic) => (asked.push('fetchTopicOffsets'), admin.fetchTopicOffsets(topic)),
    };
    const lines: Record<string, unknown>[] = [];
    const aggregator = createMetricsAggregator({ db: pool, experimentId: null, lag: { admin: countingAdmin, topics: ['logs'], groups: null, maxGroups: 10 }, log: (line) => lines.push(line) });
    try {
      await runMigrations(pool);
      expect(await aggregator.handle(mskEvent(batch('metrics-db-down')))).toMatchObject({ metricsStored: 3, deadLetters: 1, lagSamples: 3 });
      await server.stop();
      asked.length = 0;

      // Act
      const error = await failureOf(aggregator.handle(mskEvent(batch('metrics-db-down', 3))));

      // Assess
      expect(error).toBeInstanceOf(InfrastructureError);
      expect(error.message).toMatch(/^insertPerformanceMetrics: PostgreSQL failed/);
      expect(error.message).not.toContain(PASSWORD);
      expect(asked).toEqual([]);
      expect(lines.at(-1)).toMatchObject({ level: 'ERROR', stage: 'store-metrics', storedBeforeFailure: { metricsStored: 0, deadLetters: 0, lagSamples: 0 } });
      expect(JSON.stringify(lines)).not.toContain(PASSWORD);
    } finally {
      await pool.end();
      await server.stop();
    }
  });

  it('admin API unreachable: metrics and dead letters are stored, the batch throws, and its redelivery adds only the lag sample', async () => {
    // Prepare: an admin client whose broker has gone away
    const gone = await startTestBroker();
    const deadAdmin = kafkaClient(gone, { retry: { retries: 1, initialRetryTime: 50 }, connectionTimeout: 500 }).admin();
    await deadAdmin.connect();
    await gone.close();
    const topic = 'metrics-admin-down';
    const event = mskEvent(batch(topic));
    const lines: Record<string, unknown>[] = [];
    const failing = createMetricsAggregator({ db: db.pool, experimentId: null, lag: { admin: deadAdmin, topics: ['logs'], groups: null, maxGroups: 10 }, log: (line) => lines.push(line) });
    const healthy = createMetricsAggregator({ db: db.pool, experimentId: null, lag: { admin, topics: ['logs'], groups: null, maxGroups: 10 }, log: () => undefined });

    try {
      // Act
      const error = await failureOf(failing.handle(event));
      const counts = { metrics: await count('performance_metrics', topic), deadLetters: await count('dead_letters', topic), lag: await count('consumer_lag', topic) };
      const redelivered = await healthy.handle(event);

      // Assess
      expect(error).toBeInstanceOf(InfrastructureError);
      expect(error.message).toMatch(/^consumer lag: the Kafka admin API failed \(KafkaJS/);
      expect(counts).toEqual({ metrics: 3, deadLetters: 1, lag: 0 });
      expect(lines.at(-1)).toMatchObject({ level: 'ERROR', stage: 'read-lag', storedBeforeFailure: { metricsStored: 3, deadLetters: 1 } });
      expect(redelivered).toMatchObject({ metricsStored: 0, duplicates: 3, deadLetters: 1, lagSamples: 3 });
      expect(await count('dead_letters', topic)).toBe(1);
    } finally {
      await deadAdmin.disconnect().catch(() => undefined);
      await db.pool.query(`DELETE FROM consumer_lag`);
    }
  });

  it('lag insert fails (table locked, statement timeout): the redelivery stores the lag sample with the same timestamp and nothing twice', async () => {
    // Prepare: consumer_lag locked by another session; a pool that gives up after 300 ms
    const locker = new pg.Client({ connectionString: db.connectionString });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE consumer_lag IN ACCESS EXCLUSIVE MODE');
    const impatient = createPool({ connectionString: db.connectionString, statementTimeoutMs: 300 });
    const topic = 'metrics-lag-locked';
    const event = mskEvent(batch(topic));
    const aggregator = createMetricsAggregator({ db: impatient, experimentId: null, lag: { admin, topics: ['logs'], groups: ['detector'], maxGroups: 10 }, log: () => undefined });

    try {
      // Act
      const error = await failureOf(aggregator.handle(event));
      const storedWhileLocked = { metrics: await count('performance_metrics', topic), deadLetters: await count('dead_letters', topic) };
      await locker.query('ROLLBACK');
      const redelivered = await aggregator.handle(event);
      const again = await aggregator.handle(event);

      // Assess
      expect(error).toBeInstanceOf(InfrastructureError);
      expect(error.message).toMatch(/^insertConsumerLag: .*SQLSTATE 57014/);
      expect(storedWhileLocked).toEqual({ metrics: 3, deadLetters: 1 });
      expect(redelivered).toMatchObject({ metricsStored: 0, duplicates: 3, lagSamples: 3 });
      expect(again).toMatchObject({ metricsStored: 0, lagSamples: 0, lagDuplicates: 3 });
      const lag = await db.pool.query(`SELECT consumer_id, partition, lag FROM consumer_lag WHERE "timestamp" = $1 ORDER BY partition`, [new Date(newestOfBatch)]);
      expect(lag.rows).toEqual([
        { consumer_id: 'detector', partition: 0, lag: '0' },
        { consumer_id: 'detector', partition: 1, lag: '0' },
        { consumer_id: 'detector', partition: 2, lag: '0' },
      ]);
    } finally {
      await locker.end();
      await impatient.end();
    }
  });
});

describe('onDemandAdmin', () => {
  it('connects on first use, and after a failed call makes a new client for the next one', async () => {
    // Prepare: the first client points at a broker that has gone away, later ones at a live broker
    const [gone, live] = await Promise.all([startTestBroker(), startTestBroker()]);
    await gone.close();
    let target: TestBroker = gone;
    let created = 0;
    const admin = onDemandAdmin(() => {
      created += 1;
      return kafkaClient(target, { retry: { retries: 0 }, connectionTimeout: 500 }).admin();
    });

    try {
      // Act
      const first = await admin.listTopics().then(() => null, (error: unknown) => error);
      target = live;
      const second = await admin.listTopics();
      const third = await admin.listGroups();

      // Assess
      expect(first).toBeInstanceOf(Error);
      expect(Array.isArray(second)).toBe(true);
      expect(third.groups).toEqual([]);
      expect(created).toBe(2);
    } finally {
      await admin.disconnect();
      await live.close();
    }
  });
});
