import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleHandler } from '../../infra/serverless/bundle-handler.js';
import { repoRoot } from '../../infra/deploy/osls.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { jsonRecords, mskEvent, sampleLogRecord } from '../helpers/kafka-events.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { startTestS3, type TestS3 } from '../helpers/s3.js';

const modelBucket = 'log-anomaly-models';

interface Outcome {
  ok: boolean;
  result?: Record<string, unknown>;
  error?: { name: string; message: string };
}

/**
 * Loads a bundle with plain Node — no tsx, no TypeScript loader, only PATH and the given
 * variables in the environment, as in a Lambda container — calls its handler once and reports the
 * result or the error. The process exits after the call, as Lambda freezes a container.
 */
function invokeBundle(file: string, event: unknown, env: Record<string, string>): Promise<Outcome> {
  const script = `
    const { handler } = require(process.argv[1]);
    const deadline = Date.now() + 60000;
    const context = { awsRequestId: 'bundle-test', getRemainingTimeInMillis: () => deadline - Date.now() };
    handler(JSON.parse(process.argv[2]), context).then(
      (result) => { process.stdout.write('\\n' + JSON.stringify({ ok: true, result })); process.exit(0); },
      (error) => { process.stdout.write('\\n' + JSON.stringify({ ok: false, error: { name: error.name, message: error.message } })); process.exit(0); },
    );`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', script, file, JSON.stringify(event)], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`${file} did not run: ${error.message}\n${stderr}`));
      resolve(JSON.parse(stdout.trim().split('\n').pop()!) as Outcome);
    });
  });
}

/** The bundles Lambda runs, built by the same code the osls plugin uses, into a directory of the test's own. */
describe('bundled handlers under plain Node', () => {
  let buildDir: string;
  let db: TestDatabase;
  let s3: TestS3;
  let broker: TestBroker;
  const bundles: Record<string, string> = {};
  let env: Record<string, string>;

  beforeAll(async () => {
    buildDir = await mkdtemp(join(tmpdir(), 'bundles-'));
    [db, s3, broker] = await Promise.all([createTestDatabase(), startTestS3([modelBucket]), startTestBroker()]);
    for (const name of ['producer', 'detector', 'metrics-aggregator']) {
      bundles[name] = (await bundleHandler({ entry: join(repoRoot, 'functions', name, 'handler.ts'), outDir: join(buildDir, name) })).file;
    }
    env = {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      MODEL_BUCKET: modelBucket,
      DATABASE_URL: db.connectionString,
      KAFKA_BOOTSTRAP_SERVERS: broker.bootstrap,
      KAFKA_TOPIC: 'logs',
      METRICS_TOPIC: 'metrics',
    };
  }, 120_000);

  afterAll(async () => {
    await Promise.all([db?.drop(), s3?.stop(), broker?.close()]);
    await rm(buildDir, { recursive: true, force: true });
  });

  it('runs the detector bundle on an MSK event and stores the batch in PostgreSQL', async () => {
    // Prepare
    const records = jsonRecords('logs', 0, 40, Array.from({ length: 5 }, (_, index) => sampleLogRecord(index)));

    // Act
    const outcome = await invokeBundle(bundles.detector!, mskEvent(records), { ...env, AWS_LAMBDA_FUNCTION_NAME: 'bundle-detector' });

    // Assess
    expect(outcome).toMatchObject({ ok: true, result: { records: 5, stored: 5, deadLetters: 0 } });
    const rows = await db.pool.query<{ kafka_offset: string }>('SELECT kafka_offset FROM logs ORDER BY kafka_offset');
    expect(rows.rows.map((row) => Number(row.kafka_offset))).toEqual([40, 41, 42, 43, 44]);
  });

  it('refuses, from the bundle, an event that is not a Kafka event with a ValidationError', async () => {
    // Prepare
    const notAnEvent = { records: 'x'.repeat(64), eventSource: '<script>' };

    // Act
    const outcome = await invokeBundle(bundles.detector!, notAnEvent, env);

    // Assess
    expect(outcome.ok).toBe(false);
    expect(outcome.error?.name).toBe('ValidationError');
  });

  it('runs the producer bundle, which writes the requested records to the logs topic', async () => {
    // Prepare
    const admin = (await import('../helpers/broker.js')).kafkaClient(broker).admin();
    await admin.connect();

    try {
      // Act
      const outcome = await invokeBundle(bundles.producer!, { count: 12, rate: 1000 }, { ...env, AWS_LAMBDA_FUNCTION_NAME: 'bundle-producer' });

      // Assess
      expect(outcome, JSON.stringify(outcome.error)).toMatchObject({ ok: true, result: { sent: 12, failed: 0 } });
      const offsets = await admin.fetchTopicOffsets('logs');
      expect(offsets.reduce((sum, partition) => sum + Number(partition.high), 0)).toBe(12);
    } finally {
      await admin.disconnect();
    }
  });

  /**
   * The aws stage's way to the database: DATABASE_SECRET_ID instead of DATABASE_URL. Secrets Manager
   * cannot run here; a small HTTP server answers GetSecretValue in its JSON protocol, reached by the
   * bundle's own SDK client through AWS_ENDPOINT_URL_SECRETS_MANAGER (which the SDK honours).
   */
  it('runs the metrics-aggregator bundle with the database URL read from Secrets Manager at run time, never from its environment', async () => {
    // Prepare
    const asked: string[] = [];
    const server: Server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        asked.push(`${String(request.headers['x-amz-target'])} ${(JSON.parse(body) as { SecretId: string }).SecretId}`);
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ Name: 'log-anomaly/aws/database', SecretString: JSON.stringify({ url: db.connectionString }) }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { DATABASE_URL: _notGiven, ...withoutUrl } = env;
    const event = JSON.parse(readFileSync(join(repoRoot, 'tests/events/msk-metrics-event.json'), 'utf8')) as unknown;

    try {
      // Act
      const outcome = await invokeBundle(bundles['metrics-aggregator']!, event, {
        ...withoutUrl,
        DATABASE_SECRET_ID: 'log-anomaly/aws/database',
        AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
        LAG_SAMPLING: 'false',
        AWS_LAMBDA_FUNCTION_NAME: 'bundle-metrics-aggregator',
      });

      // Assess
      expect(outcome, JSON.stringify(outcome.error)).toMatchObject({ ok: true, result: { deadLetters: 0 } });
      expect((outcome.result as { metricsStored: number }).metricsStored).toBeGreaterThan(0);
      const stored = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM performance_metrics');
      expect(stored.rows[0]!.n).toBe((outcome.result as { metricsStored: number }).metricsStored);
      expect(asked).toEqual(['secretsmanager.GetSecretValue log-anomaly/aws/database']);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
