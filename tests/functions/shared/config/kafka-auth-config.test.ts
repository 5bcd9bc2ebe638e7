import { describe, expect, it } from 'vitest';
import { loadKafkaConfig } from '../../../../functions/shared/config/kafka-config.js';
import { ConfigError } from '../../../../functions/shared/errors.js';

const brokers = { KAFKA_BOOTSTRAP_SERVERS: 'b-1.example.com:9096' };
const clusterArn = 'arn:aws:kafka:eu-west-1:123456789012:cluster/logs/0f8f8f8f-1111-2222-3333-444444444444-1';

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('KAFKA_AUTH', () => {
  it('defaults to no authentication and no TLS', () => {
    // Act
    const config = loadKafkaConfig(brokers);

    // Assess
    expect(config.auth).toEqual({ kind: 'none' });
    expect(config.ssl).toBe(false);
  });

  it('scram-sha-512 takes the AmazonMSK_ secret and turns TLS on unless KAFKA_SSL=false', () => {
    // Act
    const onAws = loadKafkaConfig({ ...brokers, KAFKA_AUTH: 'scram-sha-512', KAFKA_SCRAM_SECRET_ID: 'AmazonMSK_log-anomaly' });
    const local = loadKafkaConfig({ ...brokers, KAFKA_AUTH: 'scram-sha-512', KAFKA_SCRAM_SECRET_ID: 'AmazonMSK_local', KAFKA_SSL: 'false' });
    const byArn = loadKafkaConfig({
      ...brokers,
      KAFKA_AUTH: 'scram-sha-512',
      KAFKA_SCRAM_SECRET_ID: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_log-anomaly-AbCdEf',
    });

    // Assess
    expect(onAws.auth).toEqual({ kind: 'scram-sha-512', secretId: 'AmazonMSK_log-anomaly' });
    expect(onAws.ssl).toBe(true);
    expect(local.ssl).toBe(false);
    expect(byArn.auth).toMatchObject({ kind: 'scram-sha-512' });
  });

  it('iam signs for the cluster ARN region, else AWS_REGION', () => {
    // Act
    const fromArn = loadKafkaConfig({ MSK_CLUSTER_ARN: clusterArn, AWS_REGION: 'us-east-1', KAFKA_AUTH: 'iam' });
    const fromRegion = loadKafkaConfig({ ...brokers, AWS_REGION: 'us-west-2', KAFKA_AUTH: 'iam' });

    // Assess
    expect(fromArn.auth).toEqual({ kind: 'iam', region: 'eu-west-1' });
    expect(fromArn.ssl).toBe(true);
    expect(fromRegion.auth).toEqual({ kind: 'iam', region: 'us-west-2' });
  });

  it.each([
    [{ KAFKA_AUTH: 'kerberos' }, 'KAFKA_AUTH must be one of'],
    [{ KAFKA_AUTH: 'scram-sha-512' }, 'KAFKA_SCRAM_SECRET_ID is required'],
    [{ KAFKA_AUTH: 'scram-sha-512', KAFKA_SCRAM_SECRET_ID: 'log-anomaly/kafka' }, 'starting with AmazonMSK_'],
    [{ KAFKA_SCRAM_SECRET_ID: 'AmazonMSK_x' }, 'KAFKA_SCRAM_SECRET_ID is set but KAFKA_AUTH is not scram-sha-512'],
    [{ KAFKA_AUTH: 'iam' }, 'AWS_REGION is required with KAFKA_AUTH=iam'],
  ])('refuses %j with a clear message', (env, message) => {
    // Act
    const error = configError(() => loadKafkaConfig({ ...brokers, ...env }));

    // Assess
    expect(error.message).toContain(message);
  });
});
