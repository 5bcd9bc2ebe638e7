import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeDetectorContainer, handler } from '../../../functions/detector/handler.js';
import { resetProcessEnvCache } from '../../../functions/shared/config/index.js';
import { ConfigError, ValidationError } from '../../../functions/shared/errors.js';
import { parseMetricRecord, type MetricRecord } from '../../../functions/shared/metrics/index.js';
import { kafkaClient, startTestBroker, type TestBroker } from '../../helpers/broker.js';
import { loadEventFixture } from '../../helpers/kafka-events.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';
import { startTestS3, type TestS3 } from '../../helpers/s3.js';
import { captureOutput, type CapturedOutput } from '../../helpers/captured-output.js';
import { MODEL_BUCKET, rejectionOf, tableCounts } from './detector-kit.js';

const FUNCTION_NAME = 'log-anomaly-dev-detector';
const context = { awsRequestId: '5e0c6a1d-0000-4000-8000-000000000001' };

let db: TestDatabase;
let s3: TestS3;
let broker: TestBroker;
let output: CapturedOutput;
const savedEnv = { ...process.env };

beforeAll(async () => {
  [db, s3, broker] = await Promise.all([createTestDatabase(), startTestS3([MODEL_BUCKET]), startTestBroker()]);
  setEnv();
  output = captureOutput();
});
afterEach(async () => {
  setEnv();
});
afterAll(async () => {
  await closeDetectorContainer();
  output?.restore();
  process.env = savedEnv;
  resetProcessEnvCache();
  await Promise.all([db?.drop(), s3?.stop(), broker?.close()]);
});

/** The environment serverless.yml gives the function, pointed at the test servers. */
function setEnv(): void {
  process.env = {
    ...savedEnv,
    AWS_LAMBDA_FUNCTION_NAME: FUNCTION_NAME,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    MODEL_BUCKET,
    DATABASE_URL: db.connectionString,
    KAFKA_BOOTSTRAP_SERVERS: broker.bootstrap,
    KAFKA_TOPIC: 'logs',
    METRICS_TOPIC: 'metrics',
    EXPERIMENT_ID: 'exp-handler',
    TRAINING_WINDOW: '200',
    FOREST_TREES: '50',
  };
  delete process.env.MSK_CLUSTER_ARN;
  delete process.env.COMPONENT_ID;
  delete process.env.KAFKA_CLIENT_ID;
  resetProcessEnvCache();
}

async function firstMetricRecord(): Promise<MetricRecord> {
  const consumer = kafkaClient(broker).consumer({ groupId: `handler-metrics-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic: 'metrics', fromBeginning: true });
  const record = await new Promise<MetricRecord>((resolve) => {
    void consumer.run({ eachMessage: async ({ message }) => resolve(parseMetricRecord(message.value!)) });
  });
  await consumer.disconnect();
  return record;
}

/** The JSON lines the function's logger wrote (Powertools: stdout and stderr). */
function loggedLines(): Array<Record<string, unknown>> {
  return output.jsonLines();
}

describe('detector handler (configured from the environment)', () => {
  it('stores an MSK batch, sends detector metrics named after the function, and logs one JSON line', async () => {
    // Act
    const summary = await handler(loadEventFixture('msk-event'), context);

    // Assess
    expect(summary).toEqual({ records: 7, stored: 7, duplicates: 0, anomalies: 0, deadLetters: 0, modelVersion: null });
    expect(await tableCounts(db.pool)).toMatchObject({ logs: 7 });
    const metrics = await firstMetricRecord();
    expect(metrics).toMatchObject({ componentType: 'detector', componentId: FUNCTION_NAME, experimentId: 'exp-handler' });
    expect(metrics.metrics.find((metric) => metric.name === 'batch_size')?.value).toBe(7);
    const batches = loggedLines().filter((line) => line.message === 'detector batch');
    expect(batches).toEqual([expect.objectContaining({ level: 'INFO', component: 'detector', function_request_id: context.awsRequestId, cold_start: expect.any(Boolean), records: 7, stored: 7 })]);
    expect(JSON.stringify(batches)).not.toMatch(/User login succeeded|Payment authorised/);
  });

  it('reuses the warm container, and a closed container comes back cold', async () => {
    // Act
    const warm = await handler(loadEventFixture('msk-event'), context);
    await closeDetectorContainer();
    const cold = await handler(loadEventFixture('self-managed-kafka-event'), context);

    // Assess
    expect(warm).toMatchObject({ stored: 0, duplicates: 7 });
    expect(cold).toMatchObject({ records: 3, stored: 3 });
  });

  it('refuses a payload that is not a Kafka event with a ValidationError', async () => {
    // Act
    const error = await rejectionOf(handler({ detail: 'an EventBridge event', source: 'aws.events' }, context));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(/accepts only MSK \(aws:kafka\) or SelfManagedKafka events/);
  });

  it('reports every configuration problem at once, without secrets, and recovers once it is fixed', async () => {
    // Prepare
    await closeDetectorContainer();
    process.env.TRAINING_WINDOW = 'lots';
    process.env.MODEL_BUCKET = 'Not_A_Bucket';
    process.env.POSTGRES_POOL_MAX = '0';
    resetProcessEnvCache();

    // Act
    const error = await rejectionOf(handler(loadEventFixture('msk-event'), context));
    setEnv();
    const fixed = await handler(loadEventFixture('msk-event'), context);

    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/TRAINING_WINDOW/);
    expect(error.message).toMatch(/MODEL_BUCKET/);
    expect(error.message).toMatch(/POSTGRES_POOL_MAX/);
    expect(error.message).not.toContain(db.connectionString);
    expect(fixed).toMatchObject({ records: 7, duplicates: 7 });
  });
});
