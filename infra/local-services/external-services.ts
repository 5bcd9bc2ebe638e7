/**
 * Real services instead of embedded ones: a Kafka cluster, a PostgreSQL database or an S3 endpoint
 * given by configuration is prepared as the embedded one would be — topics created, migrations
 * applied, buckets created — and stands in for it. Stopping one of them does nothing to the service.
 */
import { CreateBucketCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { runMigrations, type MigrationReport } from '../db/migrator.js';
import { LocalServicesError } from './errors.js';

/** Which parts to take from configuration; absent ones are started embedded. */
export interface ExternalServices {
  /** host:port list of a Kafka cluster. */
  kafkaBootstrap?: string;
  /** postgres:// URL; never printed with its password. */
  databaseUrl?: string;
  /** S3 endpoint URL (LocalStack, MinIO…); credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. */
  s3Endpoint?: string;
}

export async function prepareExternalKafka(bootstrap: string, topics: readonly string[], partitions: number): Promise<{ bootstrap: string; port: number; clusterArn: string; controlPlaneUrl: string; close(): Promise<void> }> {
  const brokers = bootstrap.split(',').map((entry) => entry.trim()).filter(Boolean);
  const admin = new Kafka({ clientId: 'local-services', brokers, logLevel: logLevel.NOTHING, retry: { retries: 2 } }).admin();
  try {
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic));
    if (missing.length > 0) await admin.createTopics({ topics: missing.map((topic) => ({ topic, numPartitions: partitions })), waitForLeaders: true });
  } catch (error) {
    throw new LocalServicesError(`the configured Kafka (KAFKA_BOOTSTRAP_SERVERS=${brokers.join(',')}) could not be used: ${(error as Error).message}`, { cause: error });
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  return { bootstrap: brokers.join(','), port: Number(brokers[0]?.split(':').pop() ?? 0), clusterArn: '', controlPlaneUrl: '', close: async () => undefined };
}

export async function prepareExternalPostgres(url: string): Promise<{ url: string; port: number; database: string; migrations: MigrationReport; stop(): Promise<void> }> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new LocalServicesError('DATABASE_URL is not a URL (expected postgres://user:password@host:port/database)');
  }
  const pool = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 10_000 });
  pool.on('error', () => undefined);
  try {
    const migrations = await runMigrations(pool);
    return { url, port: Number(parsed.port || 5432), database: parsed.pathname.slice(1), migrations, stop: async () => undefined };
  } catch (error) {
    throw new LocalServicesError(`the configured PostgreSQL (${parsed.host}${parsed.pathname}) could not be migrated: ${(error as Error).message}`, { cause: error });
  } finally {
    await pool.end().catch(() => undefined);
  }
}

export async function prepareExternalS3(endpoint: string, region: string, buckets: readonly string[]): Promise<{ endpoint: string; port: number; buckets: readonly string[]; stop(): Promise<void> }> {
  const accessKeyId = process.env.AWS_ACCESS_KEY_ID ?? 'test';
  const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY ?? 'test';
  const s3 = new S3Client({ endpoint, region, forcePathStyle: true, credentials: { accessKeyId, secretAccessKey }, maxAttempts: 2, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
  try {
    for (const bucket of buckets) {
      const exists = await s3.send(new HeadBucketCommand({ Bucket: bucket })).then(() => true, () => false);
      if (!exists) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    }
  } catch (error) {
    throw new LocalServicesError(`the configured S3 endpoint ${endpoint} could not be used: ${(error as Error).message}`, { cause: error });
  } finally {
    s3.destroy();
  }
  return { endpoint, port: Number(new URL(endpoint).port || 80), buckets: [...buckets], stop: async () => undefined };
}

/** The parts the environment names (KAFKA_BOOTSTRAP_SERVERS, DATABASE_URL, AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL). */
export function externalServicesFromEnv(env: NodeJS.ProcessEnv): ExternalServices {
  const value = (name: string) => {
    const raw = env[name]?.trim();
    return raw === undefined || raw === '' ? undefined : raw;
  };
  const kafkaBootstrap = value('KAFKA_BOOTSTRAP_SERVERS');
  const databaseUrl = value('DATABASE_URL');
  const s3Endpoint = value('AWS_ENDPOINT_URL_S3') ?? value('AWS_ENDPOINT_URL');
  return { ...(kafkaBootstrap ? { kafkaBootstrap } : {}), ...(databaseUrl ? { databaseUrl } : {}), ...(s3Endpoint ? { s3Endpoint } : {}) };
}
