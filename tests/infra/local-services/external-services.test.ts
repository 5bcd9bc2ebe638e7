import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { externalServicesFromEnv } from '../../../infra/local-services/external-services.js';
import { LocalServicesError, startLocalServices } from '../../../infra/local-services/index.js';
import { parseStackArgs } from '../../../infra/local-stack/stack-options.js';
import { kafkaClient, startTestBroker, type TestBroker } from '../../helpers/broker.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';
import { startTestS3, type TestS3 } from '../../helpers/s3.js';

describe('local services: real services named by configuration', () => {
  let dataDir: string;
  let broker: TestBroker;
  let database: TestDatabase;
  let s3: TestS3;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'external-services-'));
    [broker, database, s3] = await Promise.all([startTestBroker(), createTestDatabase({ migrate: false }), startTestS3()]);
  });

  afterAll(async () => {
    await Promise.all([broker?.close(), database?.drop(), s3?.stop()]);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('uses the configured Kafka, PostgreSQL and S3: topics created, migrations applied, buckets created, nothing embedded started', async () => {
    // Prepare: the credentials the S3 emulator accepts, as a user's environment would hold them
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'S3RVER');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'S3RVER');
    // Act
    const services = await startLocalServices({
      kafkaPort: 0, controlPlanePort: 0, postgresPort: 0, s3Port: 0, dataDir, envFile: null, logLevel: 'silent',
      external: { kafkaBootstrap: broker.bootstrap, databaseUrl: database.connectionString, s3Endpoint: s3.endpoint },
    });
    try {
      // Assess
      expect(services.kafka.bootstrap).toBe(broker.bootstrap);
      expect(services.env.KAFKA_BOOTSTRAP_SERVERS).toBe(broker.bootstrap);
      expect(services.env.MSK_CLUSTER_ARN).toBeUndefined();
      expect(services.env.DATABASE_URL).toBe(database.connectionString);
      expect(services.env.AWS_ENDPOINT_URL_S3).toBe(s3.endpoint);
      const admin = kafkaClient(broker).admin();
      await admin.connect();
      expect(await admin.listTopics()).toEqual(expect.arrayContaining(['logs', 'metrics']));
      await admin.disconnect();
      const tables = await database.pool.query("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name IN ('logs', 'anomalies', 'experiments')");
      expect(tables.rows[0].n).toBe(3);
      const buckets = await s3.client.send(new ListBucketsCommand({}));
      expect(buckets.Buckets?.map((bucket) => bucket.Name).sort()).toEqual(['log-anomaly-dashboard', 'log-anomaly-models']);
      expect(await readdir(dataDir)).not.toEqual(expect.arrayContaining(['kafka', 'postgres', 's3']));
    } finally {
      await services.stop();
      vi.unstubAllEnvs();
    }
    // stopping the local services leaves the real ones running
    expect((await database.pool.query('SELECT 1 AS ok')).rows[0].ok).toBe(1);
  });

  it('says which configured service could not be used', async () => {
    const attempt = startLocalServices({ kafkaPort: 0, controlPlanePort: 0, postgresPort: 0, s3Port: 0, dataDir, envFile: null, logLevel: 'silent', external: { databaseUrl: 'postgres://nobody:secret@127.0.0.1:9/none' } });
    const error = await attempt.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LocalServicesError);
    expect((error as Error).message).toContain('the configured PostgreSQL (127.0.0.1:9/none) could not be migrated');
    expect((error as Error).message).not.toContain('secret');
  });

  it('reads the parts to swap from the environment, for npm start', () => {
    const env = { KAFKA_BOOTSTRAP_SERVERS: 'k1:9092,k2:9092', DATABASE_URL: 'postgres://u:p@db:5432/x', AWS_ENDPOINT_URL: 'http://localstack:4566' };
    expect(externalServicesFromEnv(env)).toEqual({ kafkaBootstrap: 'k1:9092,k2:9092', databaseUrl: 'postgres://u:p@db:5432/x', s3Endpoint: 'http://localstack:4566' });
    expect(externalServicesFromEnv({ DATABASE_URL: '  ' })).toEqual({});
    expect(parseStackArgs([], '/tmp', env).options.external).toEqual({ kafkaBootstrap: 'k1:9092,k2:9092', databaseUrl: 'postgres://u:p@db:5432/x', s3Endpoint: 'http://localstack:4566' });
    expect(parseStackArgs([], '/tmp', {}).options.external).toEqual({});
  });
});
