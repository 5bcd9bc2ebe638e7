import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServices, type LocalServices } from '../../../infra/local-services/index.js';
import { pickFreePort } from '../../../infra/local-services/ports.js';
import { waitForExit } from '../../helpers/cli-process.js';
import { sampleLogRecord } from '../../helpers/kafka-events.js';
import { createServiceSandbox, offlineEnv, type ServiceSandbox } from '../serverless/run-serverless.js';
import { waitFor } from './runner-harness.js';

const cli = fileURLToPath(new URL('../../../infra/event-source-mapping/cli.ts', import.meta.url));
const serverlessBin = fileURLToPath(new URL('../../../node_modules/serverless/bin/serverless.js', import.meta.url));

function runCli(args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcessWithoutNullStreams & { output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { env });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return Object.assign(child, { output: () => output });
}

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });

describe('event-source mapping CLI: bad input', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mapping-cli-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each([
    ['no --config', [], '--config is required'],
    ['an unknown flag', ['--config', 'x.json', '--fast'], "Unknown option '--fast'"],
    ['a missing file', ['--config', '/nonexistent/print.json'], 'is not a readable file'],
    ['a non-http endpoint', ['--config', 'x.json', '--lambda-endpoint', 'ftp://host'], 'must be an http(s) URL'],
    ['another invoker', ['--config', 'x.json', '--invoke', 'local'], 'takes only "lambda"'],
  ])('exits 2 with usage on %s', async (_what, args, message) => {
    const child = runCli(args);
    const exit = await waitForExit(child);
    expect(exit.code).toBe(2);
    expect(child.output()).toContain(message);
    expect(child.output()).toContain('usage: npm run mapping');
  });

  it.each([
    ['an empty file', '', 'is empty'],
    ['text that is not JSON', 'service: x', 'is not JSON'],
    ['JSON without functions', '{"service":"x"}', 'has no functions'],
    ['functions without Kafka triggers', '{"service":"x","functions":{"a":{"events":[{"http":{}}]}}}', 'no msk or kafka events'],
    ['an invalid msk event', '{"service":"x","functions":{"a":{"events":[{"msk":{"arn":"arn:aws:kafka:us-east-1:1:cluster/c/1","topic":"logs","batchSize":0}}]}}}', 'batchSize'],
  ])('exits 2 naming the problem for %s', async (_what, text, message) => {
    const file = join(dir, `config-${Math.random().toString(16).slice(2)}.json`);
    await writeFile(file, text);
    const child = runCli(['--config', file], { ...process.env, KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:9' });
    const exit = await waitForExit(child);
    expect(exit.code).toBe(2);
    expect(child.output()).toContain(message);
  });
});

/** The CLI against a real Lambda Invoke API: serverless-offline's, with its own Kafka triggers disabled. */
describe('event-source mapping CLI end to end', () => {
  let dataDir: string;
  let services: LocalServices;
  let sandbox: ServiceSandbox;
  let offline: ChildProcessWithoutNullStreams | undefined;
  let lambdaPort: number;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mapping-cli-e2e-'));
    [services, sandbox] = await Promise.all([
      startLocalServices({ kafkaPort: 0, controlPlanePort: 0, postgresPort: 0, s3Port: 0, dataDir, envFile: null, logLevel: 'silent' }),
      createServiceSandbox((yaml) => yaml.replaceAll('startingPosition: TRIM_HORIZON', 'startingPosition: TRIM_HORIZON\n          enabled: false')),
    ]);
    lambdaPort = await pickFreePort('127.0.0.1');
    offline = spawn(process.execPath, [serverlessBin, 'offline', 'start', '--lambdaPort', String(lambdaPort), '--httpPort', String(await pickFreePort('127.0.0.1')), '--host', '127.0.0.1', '--noSponsor'], {
      cwd: sandbox.dir,
      env: offlineEnv(services.env),
    });
    const running = offline;
    await waitFor('serverless offline to serve the Lambda API', async () => {
      if (running.exitCode !== null) throw new Error('serverless offline exited');
      return portOpen(lambdaPort);
    }, 90_000);
  }, 180_000);

  afterAll(async () => {
    if (offline && offline.exitCode === null) {
      offline.kill('SIGKILL');
      await waitForExit(offline);
    }
    await services?.stop();
    await sandbox?.remove();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('consumes the topic and invokes the deployed detector through the Lambda API, then stops on SIGINT', async () => {
    // Prepare: a resolved configuration as `serverless print --format json` writes it
    const config = join(dataDir, 'print.json');
    await writeFile(config, JSON.stringify({
      service: 'log-anomaly-detection',
      provider: { stage: 'dev', region: 'us-east-1' },
      functions: { detector: { events: [{ msk: { arn: services.kafka.clusterArn, topic: 'logs', batchSize: 50, maximumBatchingWindow: 0.2, startingPosition: 'TRIM_HORIZON', consumerGroupId: 'mapping-cli-detector' } }] } },
    }));
    const kafka = new Kafka({ clientId: 'mapping-cli-test', brokers: [services.kafka.bootstrap], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'logs', acks: -1, messages: Array.from({ length: 30 }, (_, i) => ({ value: JSON.stringify(sampleLogRecord(i)) })) });
    await producer.disconnect();
    const db = new pg.Client({ connectionString: services.postgres.url });
    await db.connect();
    // Act
    const child = runCli(['--config', config, '--invoke', 'lambda', '--lambda-endpoint', `http://127.0.0.1:${lambdaPort}`], {
      ...process.env,
      KAFKA_BOOTSTRAP_SERVERS: services.kafka.bootstrap,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      ESM_METRICS_INTERVAL_MS: '0',
    });
    try {
      await waitFor('30 rows stored through the Lambda API', async () => Number((await db.query('SELECT count(*) AS n FROM logs')).rows[0].n) >= 30, 90_000);
      child.kill('SIGINT');
      const exit = await waitForExit(child);
      // Assess
      expect(Number((await db.query('SELECT count(*) AS n FROM logs')).rows[0].n)).toBe(30);
      expect(exit.code).toBe(0);
      expect(child.output()).toContain('"deployedAs":"log-anomaly-detection-dev-detector"');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await db.end();
    }
  }, 180_000);
});
