import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServices, type LocalServices } from '../../../infra/local-services/index.js';
import { createServiceSandbox, describeRun, invocationResult, offlineEnv, repoRoot, runServerless, type ServiceSandbox } from './run-serverless.js';

interface FixtureRecord {
  topic: string;
  partition: number;
  offset: number;
}

/** `serverless invoke local` against real local services: the bundled handlers do their real work. */
describe('serverless invoke local', () => {
  let dataDir: string;
  let services: LocalServices;
  let sandbox: ServiceSandbox;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'invoke-local-'));
    [services, sandbox] = await Promise.all([
      startLocalServices({ kafkaPort: 0, controlPlanePort: 0, postgresPort: 0, s3Port: 0, dataDir, envFile: null, logLevel: 'silent' }),
      createServiceSandbox(),
    ]);
  }, 120_000);

  afterAll(async () => {
    await services?.stop();
    await sandbox?.remove();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('runs the producer, which writes the requested records to the logs topic and prints a summary', async () => {
    // Prepare
    const kafka = new Kafka({ clientId: 'invoke-local-test', brokers: [services.kafka.bootstrap], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();

    try {
      // Act
      const run = await runServerless(sandbox.dir, ['invoke', 'local', '-f', 'producer', '--data', '{"count":50,"rate":1000}'], offlineEnv(services.env));

      // Assess: the summary, then the records themselves (high watermarks of a topic nothing else writes).
      expect(run.code, describeRun(run)).toBe(0);
      expect(invocationResult(run.stdout)).toMatchObject({ sent: 50, failed: 0, stoppedBecause: 'count', topic: 'logs', rate: 1000, deliverySuccessRate: 1 });
      const logOffsets = await admin.fetchTopicOffsets('logs');
      expect(logOffsets.reduce((sum, partition) => sum + Number(partition.high), 0)).toBe(50);
      const metricOffsets = await admin.fetchTopicOffsets('metrics');
      expect(metricOffsets.reduce((sum, partition) => sum + Number(partition.high), 0)).toBeGreaterThan(0);
    } finally {
      await admin.disconnect();
    }
  });

  it('runs the detector on an MSK event, which stores every record of the batch in PostgreSQL', async () => {
    // Prepare
    const eventPath = join(repoRoot, 'tests/events/msk-event.json');
    const event = JSON.parse(await readFile(eventPath, 'utf8')) as { records: Record<string, FixtureRecord[]> };
    const expected = Object.values(event.records)
      .flat()
      .map((record) => `${record.topic}/${record.partition}/${record.offset}`)
      .sort();

    // Act
    const run = await runServerless(sandbox.dir, ['invoke', 'local', '-f', 'detector', '--path', eventPath], offlineEnv(services.env));

    // Assess
    expect(run.code, describeRun(run)).toBe(0);
    expect(invocationResult(run.stdout)).toMatchObject({ records: expected.length, stored: expected.length, deadLetters: 0 });
    const client = new pg.Client({ connectionString: services.postgres.url });
    await client.connect();
    try {
      const rows = await client.query<{ coordinates: string }>(`SELECT topic || '/' || partition || '/' || kafka_offset AS coordinates FROM logs`);
      expect(rows.rows.map((row) => row.coordinates).sort()).toEqual(expected);
    } finally {
      await client.end();
    }
  });

  it('runs the metrics-aggregator on an MSK event from the metrics topic, which stores every metric in PostgreSQL', async () => {
    // Prepare
    const eventPath = join(repoRoot, 'tests/events/msk-metrics-event.json');

    // Act
    const run = await runServerless(sandbox.dir, ['invoke', 'local', '-f', 'metrics-aggregator', '--path', eventPath], offlineEnv(services.env));

    // Assess: the fixture's two records carry 7 producer and 5 detector metrics
    expect(run.code, describeRun(run)).toBe(0);
    expect(invocationResult(run.stdout)).toMatchObject({ records: 2, metricsStored: 12, deadLetters: 0 });
    const client = new pg.Client({ connectionString: services.postgres.url });
    await client.connect();
    try {
      const rows = await client.query<{ component_type: string; metric_name: string; metric_value: number }>(
        `SELECT component_type, metric_name, metric_value FROM performance_metrics WHERE experiment_id = 'exp-2024-05-01'`,
      );
      expect(rows.rows).toHaveLength(12);
      expect(rows.rows).toContainEqual({ component_type: 'producer', metric_name: 'records_sent', metric_value: 600 });
    } finally {
      await client.end();
    }
  });
});
