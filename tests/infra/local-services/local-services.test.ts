import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { chmod, mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand, ListBucketsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createS3Client, loadKafkaConfig, loadS3Config } from '../../../functions/shared/config/index.js';
import { createMskClient, resolveBootstrapServers, type MskBootstrap } from '../../../functions/shared/kafka/index.js';
import { parseEnvFile } from '../../../infra/local-services/env-file.js';
import { LocalServicesError, PortInUseError } from '../../../infra/local-services/errors.js';
import { startLocalServices } from '../../../infra/local-services/index.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const tsxBin = join(repoRoot, 'node_modules/.bin/tsx');
const anyPorts = ['--kafka-port', '0', '--control-plane-port', '0', '--postgres-port', '0', '--s3-port', '0'];

interface CliRun {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function spawnCli(args: string[]): CliRun {
  const child = spawn(tsxBin, ['infra/local-services/cli.ts', ...args], { cwd: repoRoot });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Resolves once the CLI printed its ready line; rejects if it exits first. */
function ready(run: CliRun): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const line = run.stdout().split('\n').find((each) => each.startsWith('local services ready:'));
      if (line) resolve(line);
    };
    run.child.stdout.on('data', check);
    void run.exited.then((code) => reject(new Error(`the CLI exited (${code}) before it was ready:\n${run.stderr()}`)));
  });
}

function holdPort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port }));
  });
}

describe('local services launcher', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('starts Kafka, the MSK control plane, PostgreSQL and S3, writes a working .env, stops on SIGTERM and keeps the data', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'local-services-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await chmod(dir, 0o755); // as root PostgreSQL runs as the postgres user, who must pass through
    const dataDir = join(dir, 'data');
    const envPath = join(dir, 'out', '.env');
    const cli = spawnCli([...anyPorts, '--data-dir', dataDir, '--env-path', envPath, '--log-level', 'silent']);
    cleanups.push(async () => {
      if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
    });

    // Act: start, then use every service through the settings in .env.
    const readyLine = await ready(cli);
    const env = parseEnvFile(await readFile(envPath, 'utf8'));
    const credentials = { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! };
    const kafka = new Kafka({ clientId: 'local-services-test', brokers: env.KAFKA_BOOTSTRAP_SERVERS!.split(','), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const topics = await admin.listTopics();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'logs', messages: [{ key: 'persisted', value: '{}' }] });
    await Promise.all([producer.disconnect(), admin.disconnect()]);
    const { KAFKA_BOOTSTRAP_SERVERS: _listed, ...armOnly } = env;
    const msk = loadKafkaConfig(armOnly).bootstrap as MskBootstrap;
    const mskClient = createMskClient(msk, { credentials });
    const looked = await resolveBootstrapServers({ bootstrap: msk, ssl: false }, { mskClient }).finally(() => mskClient.destroy());
    const db = new pg.Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    const database = await db.query<{ name: string; migrations: number }>('SELECT current_database() AS name, (SELECT count(*)::int FROM schema_migrations) AS migrations');
    await db.end();
    const s3 = createS3Client(loadS3Config(env), { credentials });
    const buckets = await s3.send(new ListBucketsCommand({}));
    await s3.send(new PutObjectCommand({ Bucket: env.MODEL_BUCKET, Key: 'persisted.txt', Body: 'kept' }));
    s3.destroy();
    cli.child.kill('SIGTERM');
    const exitCode = await cli.exited;

    // Assess: the ready line, the services, the file and a clean stop.
    expect(readyLine).toContain(`kafka=${env.KAFKA_BOOTSTRAP_SERVERS}`);
    expect(readyLine).not.toContain(':postgres@'); // the password stays out of the output
    expect(env).toMatchObject({ KAFKA_TOPIC: 'logs', METRICS_TOPIC: 'metrics', MODEL_BUCKET: 'log-anomaly-models', S3_FORCE_PATH_STYLE: 'true', AWS_REGION: 'us-east-1' });
    expect(env.MSK_CLUSTER_ARN).toMatch(/^arn:aws:kafka:us-east-1:000000000000:cluster\/local-msk\//);
    expect(topics).toEqual(expect.arrayContaining(['logs', 'metrics']));
    expect(looked).toMatchObject({ brokers: [env.KAFKA_BOOTSTRAP_SERVERS], source: 'msk' });
    expect(database.rows[0]).toEqual({ name: 'log_anomaly', migrations: (await readdir(join(repoRoot, 'infra/db/migrations'))).filter((file) => file.endsWith('.sql')).length });
    expect(buckets.Buckets?.map((bucket) => bucket.Name).sort()).toEqual(['log-anomaly-dashboard', 'log-anomaly-models']);
    expect((await stat(envPath)).mode & 0o777).toBe(0o600);
    expect(exitCode, cli.stderr()).toBe(0);
    expect(cli.stderr()).toContain('local services stopped');

    // Act: start again on the same data directory (programmatically, other free ports).
    const again = await startLocalServices({ kafkaPort: 0, controlPlanePort: 0, postgresPort: 0, s3Port: 0, dataDir, envFile: null, logLevel: 'silent' });
    cleanups.push(() => again.stop());
    const reopened = new Kafka({ clientId: 'local-services-test', brokers: [again.kafka.bootstrap], logLevel: logLevel.NOTHING }).admin();
    await reopened.connect();
    const offsets = await reopened.fetchTopicOffsets('logs');
    await reopened.disconnect();
    const s3Again = createS3Client(loadS3Config(again.env), { credentials });
    const object = await s3Again.send(new GetObjectCommand({ Bucket: again.env.MODEL_BUCKET, Key: 'persisted.txt' }));
    const body = await object.Body!.transformToString();
    s3Again.destroy();

    // Assess: Kafka records, the migrated database and S3 objects survived the restart.
    expect(offsets.reduce((sum, partition) => sum + Number(partition.high), 0)).toBe(1);
    expect(again.postgres.appliedMigrations).toEqual([]);
    expect(again.kafka.clusterArn).toBe(env.MSK_CLUSTER_ARN);
    expect(body).toBe('kept');
  });

  it('refuses a taken port with a message naming the service, the port and the flag, and starts nothing', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'local-services-taken-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const held = await holdPort();
    cleanups.push(() => new Promise((resolve) => held.server.close(resolve)));
    const envPath = join(dir, '.env');

    // Act
    const cli = spawnCli([...anyPorts, '--s3-port', String(held.port), '--data-dir', join(dir, 'data'), '--env-path', envPath]);
    const exitCode = await cli.exited;
    const refusal = await startLocalServices({ kafkaPort: held.port, controlPlanePort: 0, postgresPort: 0, s3Port: 0, dataDir: join(dir, 'data'), envFile: null, logLevel: 'silent' }).then(
      (services) => services.stop().then(() => null),
      (error: unknown) => error,
    );

    // Assess
    expect(exitCode).toBe(1);
    expect(cli.stderr()).toContain(`S3 (s3rver) port ${held.port} on 127.0.0.1 is already in use`);
    expect(cli.stderr()).toContain('--s3-port <port>');
    await expect(stat(envPath)).rejects.toThrow('ENOENT');
    await expect(stat(join(dir, 'data'))).rejects.toThrow('ENOENT');
    expect(refusal).toBeInstanceOf(PortInUseError);
    expect((refusal as Error).message).toContain(`Kafka (local MSK) port ${held.port} on 127.0.0.1 is already in use; stop whatever listens there or choose another port with --kafka-port`);
  });

  it.runIf(process.getuid?.() === 0)('as root, refuses a data directory the postgres user cannot reach, naming it, and stops the rest', async () => {
    // Prepare: mkdtemp makes a 0700 directory; PostgreSQL would run as "postgres" below it.
    const dir = await mkdtemp(join(tmpdir(), 'local-services-closed-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));

    // Act
    const refusal = await startLocalServices({ kafkaPort: 0, controlPlanePort: 0, postgresPort: 0, s3Port: 0, dataDir: join(dir, 'data'), envFile: null, logLevel: 'silent' }).then(
      (services) => services.stop().then(() => null),
      (error: unknown) => error,
    );

    // Assess
    expect(refusal).toBeInstanceOf(LocalServicesError);
    expect((refusal as Error).message).toContain(`cannot enter ${dir}: allow it (chmod o+x ${dir})`);
  });

  it('exits with status 2 and names the flag on a bad option', async () => {
    // Prepare / Act
    const cli = spawnCli(['--postgres-port', 'five']);
    const exitCode = await cli.exited;

    // Assess
    expect(exitCode).toBe(2);
    expect(cli.stderr()).toContain('--postgres-port: "five" must be a port number');
  });
});
