import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServices, type LocalServices } from '../../../infra/local-services/index.js';
import { pickFreePort } from '../../../infra/local-services/ports.js';
import { waitForExit } from '../../helpers/cli-process.js';
import { isProcessAlive as isAlive } from '../../helpers/wait-for.js';
import { sampleLogRecord } from '../../helpers/kafka-events.js';
import { createServiceSandbox, offlineEnv, type ServiceSandbox } from '../serverless/run-serverless.js';
import { committedOffsets, waitFor } from './runner-harness.js';

const serverlessBin = fileURLToPath(new URL('../../../node_modules/serverless/bin/serverless.js', import.meta.url));
/** serverless.yml's detector consumer group at the default stage. */
const detectorGroup = 'log-anomaly-detection-dev-detector';
const recordCount = 50;

/** `serverless offline start` with the offline plugin: the detector's msk trigger runs through serverless-offline. */
describe('offline event-source mapping plugin', () => {
  let dataDir: string;
  let services: LocalServices;
  let sandbox: ServiceSandbox;
  let child: ChildProcessWithoutNullStreams | undefined;
  let output = '';

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'offline-plugin-'));
    [services, sandbox] = await Promise.all([
      startLocalServices({ kafkaPort: 0, controlPlanePort: 0, postgresPort: 0, s3Port: 0, dataDir, envFile: null, logLevel: 'silent' }),
      createServiceSandbox(),
    ]);
  }, 120_000);

  afterAll(async () => {
    if (child !== undefined && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await waitForExit(child);
    }
    await services?.stop();
    await sandbox?.remove();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('consumes the logs topic into the detector exactly once, then stops cleanly on SIGINT', async () => {
    // Prepare: osls offline in the sandbox, its Lambda endpoint on a free port
    const lambdaPort = await pickFreePort('127.0.0.1');
    child = spawn(process.execPath, [serverlessBin, 'offline', 'start', '--lambdaPort', String(lambdaPort), '--host', '127.0.0.1', '--noSponsor'], {
      cwd: sandbox.dir,
      env: offlineEnv(services.env),
    });
    const running = child;
    running.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    running.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const startedLine = (topic: string, group: string) => `Kafka mapping started: function ${topic === 'logs' ? 'detector' : 'metrics-aggregator'}, topic ${topic}, group ${group}`;
    await waitFor(
      `both mappings to start; output so far:\n${output}`,
      () => {
        if (running.exitCode !== null) throw new Error(`serverless offline exited early (${running.exitCode}):\n${output}`);
        return output.includes(startedLine('logs', detectorGroup)) && output.includes(startedLine('metrics', 'log-anomaly-detection-dev-metrics-aggregator'));
      },
      90_000,
    );

    const kafka = new Kafka({ clientId: 'offline-plugin-test', brokers: [services.kafka.bootstrap], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    const db = new pg.Client({ connectionString: services.postgres.url });
    await Promise.all([producer.connect(), db.connect()]);
    try {
      const records = Array.from({ length: recordCount }, (_, index) => sampleLogRecord(index));

      // Act
      await producer.send({ topic: 'logs', messages: records.map((record) => ({ key: record.service, value: JSON.stringify(record) })) });
      await waitFor(
        `the detector group to commit all ${recordCount} records; output:\n${output}`,
        async () => (await committedOffsets(kafka, detectorGroup, 'logs')).reduce((sum, offset) => sum + Math.max(offset, 0), 0) === recordCount,
        30_000,
      );

      // Assess: every record stored once, and no more invocations are pending (all offsets committed)
      const rows = await db.query<{ log_id: string; coordinates: string }>(`SELECT log_id, topic || '/' || partition || '/' || kafka_offset AS coordinates FROM logs`);
      expect(rows.rows.map((row) => row.log_id).sort()).toEqual(records.map((record) => record.id).sort());
      expect(new Set(rows.rows.map((row) => row.coordinates)).size).toBe(recordCount);
    } finally {
      await Promise.all([producer.disconnect(), db.end()]);
    }

    // Act: Ctrl-C
    running.kill('SIGINT');
    const exit = await waitForExit(running);

    // Assess: a clean exit that stopped the mappings first, and no process left
    expect(exit, output.slice(-4000)).toEqual({ code: 0, signal: null });
    expect(output).toContain('Kafka event-source mappings stopped');
    expect(isAlive(running.pid!)).toBe(false);
  }, 180_000);
});
