import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localServicesEnv, parseEnvFile, renderEnvFile, writeEnvFile } from '../../../infra/local-services/env-file.js';
import { loadKafkaConfig, loadS3Config, loadDatabaseConfig } from '../../../functions/shared/config/index.js';

const endpoints = {
  kafkaBootstrap: '127.0.0.1:9092',
  clusterArn: 'arn:aws:kafka:us-east-1:000000000000:cluster/local-msk/6c6f6361-6c2d-6d73-6b2d-636c75737465-1',
  controlPlaneUrl: 'http://127.0.0.1:4510',
  databaseUrl: 'postgres://postgres:postgres@127.0.0.1:5433/log_anomaly',
  s3Endpoint: 'http://127.0.0.1:4569',
  modelBucket: 'log-anomaly-models',
  dashboardBucket: 'log-anomaly-dashboard',
  region: 'us-east-1',
  accessKeyId: 'S3RVER',
  secretAccessKey: 'S3RVER',
};

describe('the local services env file', () => {
  it('holds settings the functions own config loaders accept and point at the services', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'env-file-'));
    const path = join(dir, 'nested', '.env');

    try {
      // Act
      await writeEnvFile(path, renderEnvFile(localServicesEnv(endpoints), new Date('2024-05-01T12:00:00Z')));
      const text = await readFile(path, 'utf8');
      const env = parseEnvFile(text);

      // Assess
      expect(text.startsWith('# Written by `npm run local:services`')).toBe(true);
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      expect(loadKafkaConfig(env)).toMatchObject({ bootstrap: { kind: 'brokers', brokers: ['127.0.0.1:9092'] }, logsTopic: 'logs', metricsTopic: 'metrics' });
      expect(loadS3Config(env)).toEqual({ region: 'us-east-1', endpoint: 'http://127.0.0.1:4569', forcePathStyle: true, modelBucket: 'log-anomaly-models' });
      expect(loadDatabaseConfig(env)).toMatchObject({ host: '127.0.0.1', port: 5433, database: 'log_anomaly', user: 'postgres' });
      const { KAFKA_BOOTSTRAP_SERVERS: _brokers, ...withoutBrokers } = env;
      expect(loadKafkaConfig(withoutBrokers).bootstrap).toEqual({ kind: 'msk', clusterArn: endpoints.clusterArn, region: 'us-east-1', endpoint: 'http://127.0.0.1:4510' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['a space', 'value with space'],
    ['a dollar sign (dotenv-expand would expand it)', 'pa$word'],
    ['a quote', 'it"s'],
    ['a comment character', 'a#b'],
    ['a newline', 'a\nB=c'],
  ])('refuses a value with %s rather than writing a file that reads back differently', (_what, value) => {
    // Prepare
    const env = { ...localServicesEnv(endpoints), DATABASE_URL: value };

    // Act / Assess
    expect(() => renderEnvFile(env, new Date())).toThrow('DATABASE_URL has a value');
  });
});
