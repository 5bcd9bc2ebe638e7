import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLambdaInvoker } from '../../../infra/lambda/invoke-lambda.js';
import { defaultLocalServicesOptions } from '../../../infra/local-services/options.js';
import { pickFreePort } from '../../../infra/local-services/ports.js';
import { startOfflineRuntime } from '../../../infra/local-stack/offline-runtime.js';
import { startLocalStack, type LocalStack } from '../../../infra/local-stack/start-stack.js';
import { formatStackStatus } from '../../../infra/local-stack/stack-status.js';
import { parseEnvFile } from '../../../infra/local-services/env-file.js';
import { sampleLogRecord } from '../../helpers/kafka-events.js';
import { waitFor as waitUpTo } from '../../helpers/wait-for.js';
import { createServiceSandbox, type ServiceSandbox } from '../serverless/run-serverless.js';

/** The stack's waits: 2 minutes at most, polling every 250 ms. */
const waitFor = (what: string, condition: () => Promise<boolean>) => waitUpTo(what, condition, 120_000, 250);

const count = async (db: pg.Pool, sql: string): Promise<number> => Number((await db.query<{ n: string }>(sql)).rows[0]!.n);
const storedRows = (db: pg.Pool) => count(db, 'SELECT count(*) AS n FROM logs');
const distinctRecords = (db: pg.Pool) => count(db, 'SELECT count(DISTINCT (topic, partition, kafka_offset)) AS n FROM logs');

/**
 * The whole local system as `npm start` runs it (services process, serverless offline with the
 * Kafka mappings, the producer function invoked through the Lambda API), on free ports.
 */
describe('the local stack end to end', () => {
  let dataDir: string;
  let sandbox: ServiceSandbox;
  let stack: LocalStack;
  let db: pg.Pool;
  let producer: Producer;
  let expected = 0;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'stack-e2e-'));
    sandbox = await createServiceSandbox();
    stack = await startLocalStack({
      ...defaultLocalServicesOptions,
      kafkaPort: 0, controlPlanePort: 0, postgresPort: 0, s3Port: 0, lambdaPort: 0, httpPort: 0, websocketPort: 0,
      dataDir,
      envFile: join(dataDir, 'stack.env'),
      logLevel: 'error',
      producerRate: null,
      stage: 'dev',
      serviceDir: sandbox.dir,
      // Every container asks S3 for the newest model before each batch, so records sent after the
      // first model is published are all scored (the default recheck is every 30 s).
      runtimeEnv: { ESM_METRICS_INTERVAL_MS: '1000', MODEL_RECHECK_SECONDS: '0' },
    });
    db = new pg.Pool({ connectionString: stack.services.databaseUrl, max: 2 });
    producer = new Kafka({ clientId: 'stack-e2e', brokers: [stack.services.kafkaBootstrap], logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
  }, 180_000);

  afterAll(async () => {
    await producer?.disconnect();
    await db?.end();
    await stack?.stop();
    await sandbox?.remove();
    await rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('stores every produced record exactly once, flags anomalies, records metrics and lag, and drains the lag to 0', async () => {
    // Prepare
    const records = 2_500;
    const lambda = createLambdaInvoker({ endpoint: stack.lambdaEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    // Act: the producer function, invoked as npm start invokes it: a first wave (stored unflagged
    // until the first model is trained on it), then a second wave once a model is published
    const summary = (await lambda.invoke('log-anomaly-detection-dev-producer', { count: records, rate: 2_500, anomalyRate: 0.05, seed: 11, producerId: 'e2e' })) as { sent: number; failed: number };
    expected += records;
    await waitFor(`${expected} stored rows`, async () => (await storedRows(db)) >= expected);
    await waitFor('a model trained on the first wave', async () => (await count(db, 'SELECT count(*) AS n FROM models')) > 0);
    const second = (await lambda.invoke('log-anomaly-detection-dev-producer', { count: 1_000, rate: 2_500, anomalyRate: 0.05, seed: 12, producerId: 'e2e' })) as { sent: number; failed: number };
    lambda.close();
    expected += 1_000;
    await waitFor(`${expected} stored rows`, async () => (await storedRows(db)) >= expected);
    await waitFor('the lag to drain to 0', async () => (await stack.status()).lag === 0);
    await waitFor('consumer lag rows and metrics of the producer, the detector and the mapping', async () =>
      (await count(db, 'SELECT count(*) AS n FROM consumer_lag')) > 0 &&
      (await count(db, "SELECT count(DISTINCT component_type) AS n FROM performance_metrics WHERE component_type IN ('producer', 'detector', 'event-source-mapping')")) === 3,
    );
    // Assess
    expect(summary).toMatchObject({ sent: records, failed: 0 });
    expect(second).toMatchObject({ sent: 1_000, failed: 0 });
    expect(await storedRows(db)).toBe(expected);
    expect(await distinctRecords(db)).toBe(expected);
    expect(await count(db, "SELECT count(*) AS n FROM logs WHERE label IS NOT NULL AND label <> 'none'")).toBeGreaterThan(0);
    expect(await count(db, 'SELECT count(*) AS n FROM anomalies')).toBeGreaterThan(0);
    const components = (await db.query<{ component_type: string }>('SELECT DISTINCT component_type FROM performance_metrics ORDER BY 1')).rows.map((row) => row.component_type);
    expect(components).toEqual(expect.arrayContaining(['detector', 'event-source-mapping', 'producer']));
    const status = await stack.status();
    expect(status).toMatchObject({ produced: expected, stored: expected, lag: 0 });
    // The detector's training windows: written to the env file, read back by the status line
    const env = parseEnvFile(await readFile(join(dataDir, 'stack.env'), 'utf8'));
    expect(env).toMatchObject({ TRAINING_WINDOW: '1000', FIRST_TRAINING_WINDOW: '200' });
    expect(stack.training).toEqual({ trainingWindow: 1000, firstTrainingWindow: 200 });
    expect(status.modelRows).toBeGreaterThanOrEqual(200);
    expect(formatStackStatus(status, stack.training)).toMatch(/ · model \S+( \(provisional: [\d,]+ of 1,000 records\))?$/);
  });

  it('dead-letters poison records with a reason and stores the good ones around them', async () => {
    // Prepare
    const poison = [
      { value: '{not json' },
      { value: JSON.stringify({ level: 'INFO' }) },
      { value: JSON.stringify({ ...sampleLogRecord(1), level: '<script>alert(1)</script>' }) },
      { value: Buffer.from([0xff, 0xfe, 0x00, 0x01]) },
    ];
    const good = Array.from({ length: 6 }, (_, i) => ({ value: JSON.stringify(sampleLogRecord(9_000 + i)) }));
    // Act
    await producer.send({ topic: 'logs', acks: -1, messages: [...good.slice(0, 3), ...poison, ...good.slice(3)] });
    expected += good.length;
    await waitFor('the poison batch to be handled', async () => (await storedRows(db)) >= expected && (await count(db, 'SELECT count(*) AS n FROM dead_letters')) >= poison.length);
    await waitFor('the lag to drain to 0', async () => (await stack.status()).lag === 0);
    // Assess
    expect(await storedRows(db)).toBe(expected);
    const letters = (await db.query<{ reason: string; component: string }>('SELECT reason, component FROM dead_letters ORDER BY kafka_offset')).rows;
    expect(letters).toHaveLength(poison.length);
    for (const letter of letters) {
      expect(letter.component).toBe('detector');
      expect(letter.reason.length).toBeGreaterThan(0);
    }
  });

  it('loses and duplicates nothing when the runtime is killed (SIGKILL) mid-stream and started again', async () => {
    // Prepare: records keep arriving while the runtime dies
    const records = 3_000;
    const sending = (async () => {
      for (let sent = 0; sent < records; sent += 100) {
        await producer.send({ topic: 'logs', acks: -1, messages: Array.from({ length: 100 }, (_, i) => ({ value: JSON.stringify(sampleLogRecord(20_000 + sent + i)) })) });
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const before = await storedRows(db);
    await waitFor('the detector to be part-way through', async () => (await storedRows(db)) >= before + 300);
    // Act
    await stack.runtime.kill();
    const storedAtKill = await storedRows(db);
    await sending;
    expected += records;
    const restarted = await startOfflineRuntime({
      host: '127.0.0.1',
      lambdaPort: await pickFreePort('127.0.0.1'),
      httpPort: await pickFreePort('127.0.0.1'),
      websocketPort: await pickFreePort('127.0.0.1'),
      stage: 'dev',
      env: { ...stack.services.env, ESM_METRICS_INTERVAL_MS: '1000' },
      expectMappings: ['detector', 'metrics-aggregator'],
      cwd: sandbox.dir,
    });
    try {
      await waitFor(`${expected} stored rows after the restart`, async () => (await storedRows(db)) >= expected);
      await waitFor('the lag to drain to 0', async () => (await stack.status()).lag === 0);
      // Assess
      expect(storedAtKill).toBeLessThan(expected);
      expect(await storedRows(db)).toBe(expected);
      expect(await distinctRecords(db)).toBe(expected);
    } finally {
      await restarted.stop();
    }
  });
});

