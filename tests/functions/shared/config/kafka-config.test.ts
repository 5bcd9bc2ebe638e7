import { describe, expect, it } from 'vitest';
import { loadKafkaConfig, loadTopicConfig } from '../../../../functions/shared/config/kafka-config.js';
import { ConfigError } from '../../../../functions/shared/errors.js';

const arn = 'arn:aws:kafka:eu-west-1:123456789012:cluster/log-anomaly-msk/5e0c6a1d-2f4b-4c8e-9a7d-3b1f6e2c8d40-3';

function configError(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadKafkaConfig', () => {
  it('reads a bootstrap list and applies the defaults', () => {
    // Act
    const config = loadKafkaConfig({ KAFKA_BOOTSTRAP_SERVERS: ' b-1.example.com:9092, 10.0.0.7:9094 ,[::1]:9092' });

    // Assess
    expect(config).toEqual({
      bootstrap: { kind: 'brokers', brokers: ['b-1.example.com:9092', '10.0.0.7:9094', '[::1]:9092'] },
      logsTopic: 'logs',
      metricsTopic: 'metrics',
      ssl: false,
      auth: { kind: 'none' },
      clientId: 'log-anomaly',
      connectionTimeoutMs: 3000,
      requestTimeoutMs: 10000,
      idempotentProducer: false,
      logLevel: 'warn',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads an MSK cluster ARN, its region and the Kafka endpoint override with the SDK precedence', () => {
    // Act
    const specific = loadKafkaConfig({ MSK_CLUSTER_ARN: arn, AWS_ENDPOINT_URL_KAFKA: 'http://127.0.0.1:4510/', AWS_ENDPOINT_URL: 'http://127.0.0.1:1' });
    const general = loadKafkaConfig({ MSK_CLUSTER_ARN: arn, AWS_ENDPOINT_URL: 'http://localhost:4566' });
    const aws = loadKafkaConfig({ MSK_CLUSTER_ARN: arn });

    // Assess
    expect(specific.bootstrap).toEqual({ kind: 'msk', clusterArn: arn, region: 'eu-west-1', endpoint: 'http://127.0.0.1:4510' });
    expect(general.bootstrap).toMatchObject({ endpoint: 'http://localhost:4566' });
    expect(aws.bootstrap).toMatchObject({ kind: 'msk', endpoint: undefined });
  });

  it('prefers the explicit broker list when both are set', () => {
    // Act
    const config = loadKafkaConfig({ KAFKA_BOOTSTRAP_SERVERS: 'localhost:9092', MSK_CLUSTER_ARN: arn });

    // Assess
    expect(config.bootstrap).toEqual({ kind: 'brokers', brokers: ['localhost:9092'] });
  });

  it('reads topics, client id (falling back to the Lambda function name) and the tuning knobs', () => {
    // Act
    const config = loadKafkaConfig({
      KAFKA_BOOTSTRAP_SERVERS: 'localhost:9092',
      KAFKA_TOPIC: 'app-logs.v2',
      METRICS_TOPIC: 'pipeline_metrics',
      AWS_LAMBDA_FUNCTION_NAME: 'log-anomaly-dev-detector',
      KAFKA_SSL: 'TRUE',
      KAFKA_CONNECTION_TIMEOUT_MS: '1500',
      KAFKA_REQUEST_TIMEOUT_MS: '20000',
      KAFKA_IDEMPOTENT_PRODUCER: 'yes',
      KAFKA_LOG_LEVEL: 'error',
    });

    // Assess
    expect(config).toMatchObject({
      logsTopic: 'app-logs.v2',
      metricsTopic: 'pipeline_metrics',
      clientId: 'log-anomaly-dev-detector',
      ssl: true,
      connectionTimeoutMs: 1500,
      requestTimeoutMs: 20000,
      idempotentProducer: true,
      logLevel: 'error',
    });
    expect(loadKafkaConfig({ KAFKA_BOOTSTRAP_SERVERS: 'k:1', KAFKA_CLIENT_ID: 'bench', AWS_LAMBDA_FUNCTION_NAME: 'fn' }).clientId).toBe('bench');
  });

  it('treats blank values as unset', () => {
    // Act
    const config = loadKafkaConfig({ KAFKA_BOOTSTRAP_SERVERS: 'localhost:9092', KAFKA_TOPIC: '   ', MSK_CLUSTER_ARN: '' });

    // Assess
    expect(config.logsTopic).toBe('logs');
  });

  it('requires a bootstrap list or a cluster ARN and says so by name', () => {
    // Act
    const error = configError(() => loadKafkaConfig({}));

    // Assess
    expect(error.message).toContain('KAFKA_BOOTSTRAP_SERVERS or MSK_CLUSTER_ARN is required');
  });

  it.each([
    ['localhost', 'no port'],
    ['localhost:0', 'port 0'],
    ['localhost:65536', 'port too large'],
    ['a:1,,b:2', 'an empty entry'],
    ['http://broker:9092', 'a URL instead of host:port'],
    ['bad host:9092', 'a space in the host'],
    ['-leading.dash:9092', 'a label starting with a dash'],
  ])('rejects the broker list %j (%s), naming the variable', (value) => {
    // Act
    const error = configError(() => loadKafkaConfig({ KAFKA_BOOTSTRAP_SERVERS: value }));

    // Assess
    expect(error.message).toMatch(/^invalid Kafka configuration: KAFKA_BOOTSTRAP_SERVERS must be comma-separated host:port entries/);
  });

  it('rejects an oversized broker list without quoting all of it', () => {
    // Prepare
    const list = Array.from({ length: 65 }, (_, index) => `b-${index}.example:9092`).join(',');

    // Act
    const error = configError(() => loadKafkaConfig({ KAFKA_BOOTSTRAP_SERVERS: list }));

    // Assess
    expect(error.message).toContain('KAFKA_BOOTSTRAP_SERVERS must list at most 64 brokers');
    expect(error.message.length).toBeLessThan(300);
  });

  it.each([
    'arn:aws:kafka:us-east-1:123456789012:topic/log-anomaly-msk/abc/logs',
    'arn:aws:s3:::log-anomaly-models',
    'arn:aws:kafka:us-east-1:1234:cluster/name/uuid',
    'cluster/name/uuid',
  ])('rejects %j as MSK_CLUSTER_ARN', (value) => {
    // Act
    const error = configError(() => loadKafkaConfig({ MSK_CLUSTER_ARN: value }));

    // Assess
    expect(error.message).toContain('MSK_CLUSTER_ARN must be an MSK cluster ARN');
  });

  it('lists every problem at once, quoting (escaped, shortened) non-secret values', () => {
    // Act
    const error = configError(() =>
      loadKafkaConfig({
        KAFKA_BOOTSTRAP_SERVERS: 'localhost:9092',
        KAFKA_TOPIC: 'logs\n; rm -rf /',
        KAFKA_CONNECTION_TIMEOUT_MS: '2s',
        KAFKA_SSL: 'maybe',
        KAFKA_LOG_LEVEL: 'LOUD',
        MSK_CLUSTER_ARN: 'ignored because the list wins',
        AWS_ENDPOINT_URL_KAFKA: 'ftp://nowhere',
      }),
    );

    // Assess
    expect(error.message).toContain('KAFKA_TOPIC must be a Kafka topic name');
    expect(error.message).toContain('(got "logs\\n; rm -rf /")');
    expect(error.message).not.toContain('\n');
    expect(error.message).toContain('KAFKA_CONNECTION_TIMEOUT_MS must be a whole number from 100 to 60000 (got "2s")');
    expect(error.message).toContain('KAFKA_SSL must be true or false');
    expect(error.message).toContain('KAFKA_LOG_LEVEL must be one of nothing, error, warn, info, debug');
    expect(error.message).not.toContain('AWS_ENDPOINT_URL_KAFKA');
  });

  it('rejects a bad endpoint override when the ARN is used', () => {
    // Act
    const error = configError(() => loadKafkaConfig({ MSK_CLUSTER_ARN: arn, AWS_ENDPOINT_URL_KAFKA: 'localhost:4510' }));

    // Assess
    expect(error.message).toContain('AWS_ENDPOINT_URL_KAFKA must be an http:// or https:// URL');
  });
});

describe('loadTopicConfig', () => {
  it('needs no broker settings', () => {
    // Act
    const topics = loadTopicConfig({ METRICS_TOPIC: 'metrics-v2' });

    // Assess
    expect(topics).toEqual({ logsTopic: 'logs', metricsTopic: 'metrics-v2' });
  });

  it.each(['.', '..', 'a'.repeat(250), 'logs/metrics', 'lögs'])('rejects the topic name %j', (topic) => {
    // Act
    const error = configError(() => loadTopicConfig({ KAFKA_TOPIC: topic }));

    // Assess
    expect(error.message).toContain('KAFKA_TOPIC must be a Kafka topic name');
  });

  it('refuses the same topic for logs and metrics', () => {
    // Act
    const error = configError(() => loadTopicConfig({ KAFKA_TOPIC: 'events', METRICS_TOPIC: 'events' }));

    // Assess
    expect(error.message).toContain('METRICS_TOPIC must differ from KAFKA_TOPIC');
  });
});
