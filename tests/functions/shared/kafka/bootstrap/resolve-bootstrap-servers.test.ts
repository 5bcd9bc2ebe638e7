import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKafkaConfig, type KafkaConfig } from '../../../../../functions/shared/config/kafka-config.js';
import { ConfigError, InfrastructureError } from '../../../../../functions/shared/errors.js';
import { createMskClient, type MskBootstrap } from '../../../../../functions/shared/kafka/bootstrap/msk-client.js';
import { pickBootstrapBrokers } from '../../../../../functions/shared/kafka/bootstrap/pick-bootstrap-brokers.js';
import { resolveBootstrapServers } from '../../../../../functions/shared/kafka/bootstrap/resolve-bootstrap-servers.js';
import { connectKafka } from '../../../../../functions/shared/kafka/client/kafka-client.js';
import { forgetScramSecrets } from '../../../../../functions/shared/kafka/auth/scram-secret.js';
import { kafkaClient, startTestBroker, type TestBroker } from '../../../../helpers/broker.js';
import { startLocalMskProcess, waitForExit, type ReadyBroker } from '../../../../helpers/cli-process.js';
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

describe('resolveBootstrapServers against a local MSK process with --auth required', () => {
  const password = 'resolver-pw-never-logged';
  let broker: ReadyBroker;

  beforeAll(async () => {
    broker = await startLocalMskProcess(['--port', '0', '--control-plane-port', '0', '--auth', 'required', '--region', 'eu-west-1'], {
      LOCAL_MSK_SASL_USERS: `pipeline:${password}`,
    });
  });

  afterAll(async () => {
    forgetScramSecrets();
    broker?.child.kill('SIGTERM');
    if (broker) await waitForExit(broker.child);
  });

  /** The config a function gets on AWS (cluster ARN, KAFKA_AUTH), with KAFKA_SSL=false: the local MSK has no TLS. */
  const configFor = (auth: Record<string, string>) =>
    loadKafkaConfig({ MSK_CLUSTER_ARN: broker.clusterArn, AWS_ENDPOINT_URL_KAFKA: broker.controlPlaneUrl!, KAFKA_SSL: 'false', KAFKA_LOG_LEVEL: 'nothing', ...auth });
  const scram = { KAFKA_AUTH: 'scram-sha-512', KAFKA_SCRAM_SECRET_ID: 'AmazonMSK_local' };
  const iam = { KAFKA_AUTH: 'iam' };
  const dependencies = {
    // Secrets Manager cannot run here (tests/functions/shared/kafka/auth reads the secret through the SDK).
    secretSource: { secretString: async () => JSON.stringify({ username: 'pipeline', password }) },
    iamCredentials: async () => ({ accessKeyId: 'ASIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret', sessionToken: 'session' }),
  };

  it('picks the GetBootstrapBrokers list that matches KAFKA_AUTH: SASL/SCRAM for scram-sha-512, SASL/IAM for iam', async () => {
    // Act
    const fromScram = await resolveWithCredentials(configFor(scram));
    const fromIam = await resolveWithCredentials(configFor(iam));

    // Assess
    expect(fromScram).toEqual({ brokers: [broker.bootstrap], transport: 'sasl-scram', source: 'msk' });
    expect(fromIam).toEqual({ brokers: [broker.bootstrap], transport: 'sasl-iam', source: 'msk' });
  });

  it.each([
    ['SCRAM-SHA-512', scram],
    ['IAM (OAUTHBEARER)', iam],
  ])('a client given only the cluster ARN and KAFKA_AUTH for %s authenticates on the listed brokers', async (_name, auth) => {
    // Prepare
    const config = configFor(auth);
    const mskClient = createMskClient(config.bootstrap as MskBootstrap, { credentials, maxAttempts: 1 });

    try {
      // Act
      const { kafka, bootstrap } = await connectKafka(config, { mskClient, ...dependencies });
      const admin = kafka.admin();
      await admin.connect();
      const cluster = await admin.describeCluster().finally(() => admin.disconnect());

      // Assess
      expect(bootstrap.source).toBe('msk');
      expect(cluster.brokers).toHaveLength(1);
    } finally {
      mskClient.destroy();
    }
  });

  it('without KAFKA_AUTH finds only SASL listeners and says to set KAFKA_AUTH', async () => {
    // Prepare
    const config = configFor({});
    const mskClient = createMskClient(config.bootstrap as MskBootstrap, { credentials, maxAttempts: 1 });

    // Act
    const error = await connectKafka(config, { mskClient }).catch((caught: unknown) => caught).finally(() => mskClient.destroy());

    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('offers only SASL/IAM listeners; set KAFKA_AUTH=iam');
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
