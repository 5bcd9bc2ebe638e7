/**
 * The services an experiment runs against: Kafka (or MSK), PostgreSQL and S3. Resolution order:
 *  1. `--embedded`: embedded ones, started for the run.
 *  2. Any of the service variables set in the process environment: those, and they must answer.
 *  3. `.env` (written by `npm start`) when all three answer.
 *  4. Otherwise embedded ones: startLocalServices on free ports with data in .data/experiments,
 *     stopped by close(). Their Kafka broker and S3 emulator then run inside this process.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Kafka } from 'kafkajs';
import type pg from 'pg';
import { createS3Client, loadDatabaseConfig, loadKafkaConfig, loadS3Config, type Env, type KafkaConfig, type S3Config } from '../../functions/shared/config/index.js';
import { createPool } from '../../functions/shared/db/index.js';
import { createKafka, resolveBootstrapServers } from '../../functions/shared/kafka/index.js';
import { kafkaSasl } from '../../functions/shared/kafka/auth/kafka-sasl.js';
import { runMigrations } from '../db/migrator.js';
import { parseEnvFile, startLocalServices } from '../local-services/index.js';
import { repoRoot } from '../local-services/options.js';
import { ExperimentInfrastructureError } from './errors.js';

export type ServicesOrigin = 'environment' | 'env-file' | 'embedded';

export interface ExperimentServices {
  readonly origin: ServicesOrigin;
  /** The variables the services were read from (the detector's settings come from here too). */
  readonly env: Env;
  readonly kafka: Kafka;
  readonly kafkaConfig: KafkaConfig;
  /** host:port of the brokers. */
  readonly brokers: readonly string[];
  /** The MSK cluster ARN when one is configured (the mapping is then an `msk` event), else null. */
  readonly clusterArn: string | null;
  /** The runner's own pool (experiment rows, measurements); detectors open their own. */
  readonly pool: pg.Pool;
  readonly s3: S3Client;
  readonly s3Config: S3Config;
  /** Service parts running inside this process (their CPU counts as the runner's). */
  readonly inProcess: readonly string[];
  close(): Promise<void>;
}

const serviceVariables = ['KAFKA_BOOTSTRAP_SERVERS', 'MSK_CLUSTER_ARN', 'DATABASE_URL', 'POSTGRES_HOST', 'AWS_ENDPOINT_URL_S3', 'MODEL_BUCKET'];
export const embeddedDataDir = join(repoRoot, '.data', 'experiments');

export interface ResolveOptions {
  readonly embedded: boolean;
  readonly processEnv?: Env;
  readonly envFile?: string;
  /** Progress notes for the person at the terminal (never secrets). */
  readonly note?: (line: string) => void;
}

export async function resolveServices(options: ResolveOptions): Promise<ExperimentServices> {
  const processEnv = options.processEnv ?? process.env;
  const note = options.note ?? (() => undefined);
  if (!options.embedded) {
    if (serviceVariables.some((name) => (processEnv[name] ?? '').trim() !== '')) return connectServices(processEnv, 'environment');
    const envFile = options.envFile ?? join(repoRoot, '.env');
    if (existsSync(envFile)) {
      try {
        return await connectServices({ ...parseEnvFile(readFileSync(envFile, 'utf8')), ...processEnv }, 'env-file');
      } catch (error) {
        note(`the services in ${envFile} do not answer (${(error as Error).message}); starting embedded ones`);
      }
    }
  }
  note(`starting embedded Kafka, PostgreSQL and S3 (data in ${embeddedDataDir})`);
  const local = await startLocalServices({ kafkaPort: 0, controlPlanePort: 0, postgresPort: 0, s3Port: 0, dataDir: embeddedDataDir, envFile: null, logLevel: 'error' });
  try {
    return await connectServices({ ...processEnv, ...local.env }, 'embedded', ['local MSK broker', 'S3 emulator (s3rver)'], () => local.stop());
  } catch (error) {
    await local.stop().catch(() => undefined);
    throw error;
  }
}

/** kafkajs logs nothing unless KAFKA_LOG_LEVEL asks for it: the runner reports failures itself. */
function withQuietKafka(env: Env): Env {
  return { KAFKA_LOG_LEVEL: 'nothing', KAFKA_CLIENT_ID: 'log-anomaly-experiments', ...env };
}

/**
 * Builds the clients from `env` and checks that each service answers (PostgreSQL is migrated,
 * the model bucket exists). Throws ConfigError for bad settings, ExperimentInfrastructureError
 * naming the service that does not answer.
 */
export async function connectServices(given: Env, origin: ServicesOrigin, inProcess: readonly string[] = [], stopOwned?: () => Promise<void>): Promise<ExperimentServices> {
  const env = withQuietKafka(given);
  const kafkaConfig = loadKafkaConfig(env);
  const databaseConfig = loadDatabaseConfig(env);
  const s3Config = loadS3Config(env);
  const pool = createPool({ ...databaseConfig, max: 4, applicationName: 'log-anomaly-experiments', connectionTimeoutMs: 5_000 });
  // The SDK reads credentials from process.env; these come from `env` (e.g. .env) when it has them.
  const accessKeyId = env['AWS_ACCESS_KEY_ID']?.trim();
  const secretAccessKey = env['AWS_SECRET_ACCESS_KEY']?.trim();
  const sessionToken = env['AWS_SESSION_TOKEN']?.trim();
  const credentials = accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } } : {};
  const s3 = createS3Client(s3Config, { maxAttempts: 2, ...credentials });
  let admin: ReturnType<Kafka['admin']> | null = null;
  try {
    const bootstrap = await resolveBootstrapServers(kafkaConfig).catch((error: unknown) => fail('Kafka (MSK bootstrap lookup)', error));
    const kafka = createKafka(kafkaConfig, bootstrap, await kafkaSasl(kafkaConfig.auth));
    await pool.query('SELECT 1').catch((error: unknown) => fail('PostgreSQL', error));
    await runMigrations(pool);
    admin = kafka.admin();
    await admin.connect().catch((error: unknown) => fail(`Kafka at ${bootstrap.brokers.join(',')}`, error));
    await admin.describeCluster().catch((error: unknown) => fail(`Kafka at ${bootstrap.brokers.join(',')}`, error));
    await s3.send(new HeadBucketCommand({ Bucket: s3Config.modelBucket })).catch((error: unknown) => fail(`S3 bucket ${s3Config.modelBucket}`, error));
    await admin.disconnect();
    let closed: Promise<void> | null = null;
    return {
      origin,
      env,
      kafka,
      kafkaConfig,
      brokers: bootstrap.brokers,
      clusterArn: kafkaConfig.bootstrap.kind === 'msk' ? kafkaConfig.bootstrap.clusterArn : (env['MSK_CLUSTER_ARN']?.trim() || null),
      pool,
      s3,
      s3Config,
      inProcess,
      close: () =>
        (closed ??= (async () => {
          s3.destroy();
          await pool.end().catch(() => undefined);
          await stopOwned?.();
        })()),
    };
  } catch (error) {
    await admin?.disconnect().catch(() => undefined);
    s3.destroy();
    await pool.end().catch(() => undefined);
    throw error;
  }
}

function fail(service: string, error: unknown): never {
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  throw new ExperimentInfrastructureError(`${service} does not answer: ${detail}`, { cause: error });
}
