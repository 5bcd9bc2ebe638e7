import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKafkaConfig, type KafkaConfig } from '../../../../../functions/shared/config/kafka-config.js';
import { ConfigError, InfrastructureError } from '../../../../../functions/shared/errors.js';
import { createMskClient, type MskBootstrap } from '../../../../../functions/shared/kafka/bootstrap/msk-client.js';
import { pickBootstrapBrokers } from '../../../../../functions/shared/kafka/bootstrap/pick-bootstrap-brokers.js';
import { resolveBootstrapServers } from '../../../../../functions/shared/kafka/bootstrap/resolve-bootstrap-servers.js';
import { kafkaClient, startTestBroker, type TestBroker } from '../../../../helpers/broker.js';
import { freePort } from '../../../../helpers/free-port.js';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** Resolves with a client built from the config the way production builds it, plus test credentials. */
async function resolveWithCredentials(config: KafkaConfig) {
  const mskClient = createMskClient(config.bootstrap as MskBootstrap, { credentials, maxAttempts: 1 });
  try {
    return await resolveBootstrapServers(config, { mskClient });
  } finally {
    mskClient.destroy();
  }
}

describe('resolveBootstrapServers', () => {
  let broker: TestBroker;

  beforeAll(async () => {
    broker = await startTestBroker({ controlPlanePort: 0 });
  });

  afterAll(async () => {
    await broker?.close();
  });

  it('returns KAFKA_BOOTSTRAP_SERVERS as given, TLS when KAFKA_SSL is set, without any control-plane call', async () => {
    // Prepare
    const plain = loadKafkaConfig({ KAFKA_BOOTSTRAP_SERVERS: 'b-1.example:9092,b-2.example:9092' });
    const tls = loadKafkaConfig({ KAFKA_BOOTSTRAP_SERVERS: 'b-1.example:9094', KAFKA_SSL: 'true' });

    // Act
    const fromPlain = await resolveBootstrapServers(plain);
    const fromTls = await resolveBootstrapServers(tls);

    // Assess
    expect(fromPlain).toEqual({ brokers: ['b-1.example:9092', 'b-2.example:9092'], transport: 'plaintext', source: 'env' });
    expect(fromTls).toEqual({ brokers: ['b-1.example:9094'], transport: 'tls', source: 'env' });
  });

  it('looks the brokers up from MSK_CLUSTER_ARN through the local MSK control plane, and they speak Kafka', async () => {
    // Prepare
    const config = loadKafkaConfig({ MSK_CLUSTER_ARN: broker.clusterArn, AWS_ENDPOINT_URL_KAFKA: broker.controlPlaneUrl! });

    // Act
    const resolved = await resolveWithCredentials(config);
    const admin = kafkaClient(broker, { brokers: [...resolved.brokers] }).admin();
    await admin.connect();
    const cluster = await admin.describeCluster();
    await admin.disconnect();

    // Assess
    expect(resolved).toEqual({ brokers: [broker.bootstrap], transport: 'plaintext', source: 'msk' });
    expect(cluster.brokers).toHaveLength(1);
  });

  it('finds the control plane through the generic AWS_ENDPOINT_URL too', async () => {
    // Prepare
    const config = loadKafkaConfig({ MSK_CLUSTER_ARN: broker.clusterArn, AWS_ENDPOINT_URL: broker.controlPlaneUrl! });

    // Act
    const resolved = await resolveWithCredentials(config);

    // Assess
    expect(resolved.brokers).toEqual([broker.bootstrap]);
  });

  it('reports an unknown cluster ARN as a ConfigError that names the ARN', async () => {
    // Prepare
    const unknownArn = 'arn:aws:kafka:us-east-1:000000000000:cluster/no-such-cluster/00000000-0000-0000-0000-000000000000-1';
    const config = loadKafkaConfig({ MSK_CLUSTER_ARN: unknownArn, AWS_ENDPOINT_URL_KAFKA: broker.controlPlaneUrl! });

    // Act
    const error = await resolveWithCredentials(config).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(`GetBootstrapBrokers for MSK cluster ${unknownArn}`);
    expect((error as Error).message).toContain('NotFoundException');
    expect((error as Error).message).toContain('check MSK_CLUSTER_ARN');
  });

  it('reports an unreachable control plane as an InfrastructureError', async () => {
    // Prepare
    const config = loadKafkaConfig({ MSK_CLUSTER_ARN: broker.clusterArn, AWS_ENDPOINT_URL_KAFKA: `http://127.0.0.1:${await freePort()}` });

    // Act
    const error = await resolveWithCredentials(config).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(InfrastructureError);
    expect((error as Error).message).toContain(broker.clusterArn);
  });
});

describe('pickBootstrapBrokers', () => {
  const arn = 'arn:aws:kafka:us-east-1:123456789012:cluster/c/uuid-1';

  it('prefers plaintext, then TLS, then SASL/IAM, then SASL/SCRAM', () => {
    // Act
    const all = pickBootstrapBrokers({ BootstrapBrokerString: 'b-1:9092,b-2:9092', BootstrapBrokerStringTls: 'b-1:9094', BootstrapBrokerStringSaslIam: 'b-1:9098' }, arn);
    const tlsOnly = pickBootstrapBrokers({ BootstrapBrokerStringTls: ' b-1:9094 , b-2:9094 ', BootstrapBrokerStringSaslIam: 'b-1:9098' }, arn);
    const iamOnly = pickBootstrapBrokers({ BootstrapBrokerString: '', BootstrapBrokerStringSaslIam: 'b-1:9098' }, arn);
    const scramOnly = pickBootstrapBrokers({ BootstrapBrokerStringSaslScram: 'b-1:9096' }, arn);

    // Assess
    expect(all).toEqual({ brokers: ['b-1:9092', 'b-2:9092'], transport: 'plaintext' });
    expect(tlsOnly).toEqual({ brokers: ['b-1:9094', 'b-2:9094'], transport: 'tls' });
    expect(iamOnly).toEqual({ brokers: ['b-1:9098'], transport: 'sasl-iam' });
    expect(scramOnly).toEqual({ brokers: ['b-1:9096'], transport: 'sasl-scram' });
  });

  it('prefers TLS when KAFKA_SSL asked for it', () => {
    // Act
    const picked = pickBootstrapBrokers({ BootstrapBrokerString: 'b-1:9092', BootstrapBrokerStringTls: 'b-1:9094' }, arn, true);

    // Assess
    expect(picked).toEqual({ brokers: ['b-1:9094'], transport: 'tls' });
  });

  it('refuses an answer with no usable list, naming the cluster', () => {
    // Act / Assess
    expect(() => pickBootstrapBrokers({ BootstrapBrokerString: ' , ', BootstrapBrokerStringPublicTls: 'public:9194' }, arn)).toThrow(ConfigError);
    expect(() => pickBootstrapBrokers({}, arn)).toThrow(`MSK cluster ${arn} returned no plaintext, TLS, SASL/IAM or SASL/SCRAM bootstrap brokers`);
  });
});
