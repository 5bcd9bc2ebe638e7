import type { Kafka, Producer } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeMetricsAggregator, handler } from '../../../functions/metrics-aggregator/index.js';
import { resetProcessEnvCache } from '../../../functions/shared/config/index.js';
import { ConfigError } from '../../../functions/shared/errors.js';
import { disconnectKafkaClients } from '../../../functions/shared/kafka/index.js';
import { MetricsEmitter } from '../../../functions/shared/metrics/index.js';
import { kafkaClient, startTestBroker, type TestBroker } from '../../helpers/broker.js';
import { captureOutput } from '../../helpers/captured-output.js';
import { commitGroupOffsets } from '../../helpers/commit-offsets.js';
import { loadEventFixture, mskEvent } from '../../helpers/kafka-events.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';
import { readTopicRecords } from '../../helpers/topic-records.js';

const context = { awsRequestId: 'c0ffee00-0000-4000-8000-000000000001' };

describe('metrics-aggregator handler, configured from the environment', () => {
  let broker: TestBroker;
  let kafka: Kafka;
  let producer: Producer;
  let db: TestDatabase;
  const saved = { ...process.env };

  beforeAll(async () => {
    [broker, db] = await Promise.all([startTestBroker(), createTestDatabase()]);
    kafka = kafkaClient(broker);
    producer = kafka.producer();
    await producer.connect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'logs', numPartitions: 3 }] });
    await admin.disconnect();
    await producer.send({ topic: 'logs', messages: [0, 1, 2].map((partition) => ({ partition, value: `log on ${partition}` })) });
    await commitGroupOffsets(kafka, 'detector-esm', 'logs', [{ partition: 0, offset: 1 }]);
  });

  afterEach(async () => {
    await closeMetricsAggregator();
    await disconnectKafkaClients();
    process.env = { ...saved };
    resetProcessEnvCache();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await broker?.close();
    await db?.drop();
  });

  function configure(extra: Record<string, string> = {}): void {
    Object.assign(process.env, {
      DATABASE_URL: db.connectionString,
      KAFKA_BOOTSTRAP_SERVERS: broker.bootstrap,
      KAFKA_TOPIC: 'logs',
      METRICS_TOPIC: 'metrics',
      KAFKA_LOG_LEVEL: 'nothing',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand', // as Lambda sets it: Powertools reports cold starts only then
      ...extra,
    });
    delete process.env.MSK_CLUSTER_ARN;
    resetProcessEnvCache();
  }

  it('stores the metrics of a real batch and one lag sample, logging one JSON line with the request id and cold start', async () => {
    // Prepare
    configure({ EXPERIMENT_ID: 'exp-env' });
    const emitter = new MetricsEmitter({ producer, topic: 'metrics', componentType: 'producer', componentId: 'producer-9', experimentId: null });
    emitter.recordMetric('records_sent', 42, 'records');
    await emitter.flush();
    const event = mskEvent(await readTopicRecords(kafka, 'metrics', 1));
    const output = captureOutput();

    // Act
    let summary;
    try {
      summary = await handler(event, context);
    } finally {
      output.restore();
    }

    // Assess
    expect(summary).toEqual({ records: 1, metricsStored: 1, duplicates: 0, deadLetters: 0, lagSamples: 3, lagDuplicates: 0, skipped: 0 });
    const lag = await db.pool.query(`SELECT consumer_id, partition, current_offset, lag, experiment_id FROM consumer_lag ORDER BY partition`);
    expect(lag.rows).toEqual([
      { consumer_id: 'detector-esm', partition: 0, current_offset: '1', lag: '0', experiment_id: 'exp-env' },
      { consumer_id: 'detector-esm', partition: 1, current_offset: '-1', lag: '1', experiment_id: 'exp-env' },
      { consumer_id: 'detector-esm', partition: 2, current_offset: '-1', lag: '1', experiment_id: 'exp-env' },
    ]);
    const printed = output.jsonLines().filter((line) => line.service === 'log-anomaly-detection');
    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatchObject({
      level: 'INFO',
      message: 'metrics batch',
      component: 'metrics-aggregator',
      requestId: context.awsRequestId,
      function_request_id: context.awsRequestId, // Powertools Logger's context keys
      cold_start: true,
      metricsStored: 1,
      lagSamples: 3,
    });
  });

  it('with LAG_SAMPLING=false needs no brokers and dead-letters the logs fixture it was never meant to read', async () => {
    // Prepare: no Kafka settings at all
    configure({ LAG_SAMPLING: 'false' });
    delete process.env.KAFKA_BOOTSTRAP_SERVERS;
    const output = captureOutput();

    // Act
    let summary;
    try {
      summary = await handler(loadEventFixture('msk-event'), context);
    } finally {
      output.restore();
    }

    // Assess: log records are not metric records
    expect(summary).toMatchObject({ metricsStored: 0, lagSamples: 0 });
    expect(summary!.deadLetters).toBe(summary!.records);
    const letters = await db.pool.query(`SELECT count(*)::int AS n FROM dead_letters WHERE component = 'metrics-aggregator' AND topic = 'logs'`);
    expect(letters.rows[0].n).toBe(summary!.records);
  });

  it('sampling on without brokers configured: a ConfigError before anything is stored', async () => {
    // Prepare
    configure();
    delete process.env.KAFKA_BOOTSTRAP_SERVERS;

    // Act
    const error = await handler(mskEvent([]), context).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/KAFKA_BOOTSTRAP_SERVERS or MSK_CLUSTER_ARN is required/);
  });

  it('a bad aggregator variable is a ConfigError naming it', async () => {
    // Prepare
    configure({ LAG_MAX_GROUPS: 'lots' });

    // Act
    const error = await handler(mskEvent([]), context).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/LAG_MAX_GROUPS must be a whole number/);
  });
});
