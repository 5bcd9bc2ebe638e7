import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadKafkaConfig } from '../../../../../functions/shared/config/kafka-config.js';
import { ConfigError } from '../../../../../functions/shared/errors.js';
import { createMskClient, type MskBootstrap } from '../../../../../functions/shared/kafka/bootstrap/msk-client.js';
import { createKafka, disconnectKafkaClients, getKafka, getProducer } from '../../../../../functions/shared/kafka/client/kafka-client.js';
import { kafkaClient, startTestBroker, type TestBroker } from '../../../../helpers/broker.js';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

describe('getKafka / getProducer', () => {
  let broker: TestBroker;

  beforeAll(async () => {
    broker = await startTestBroker({ controlPlanePort: 0 });
  });

  afterEach(async () => {
    await disconnectKafkaClients();
  });

  afterAll(async () => {
    await broker?.close();
  });

  async function highWatermark(topic: string): Promise<number> {
    const admin = kafkaClient(broker).admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      return offsets.reduce((sum, partition) => sum + Number(partition.high), 0);
    } finally {
      await admin.disconnect();
    }
  }

  it('reuses one client and one connected producer per container, and the producer writes with acks=all', async () => {
    // Prepare
    const config = loadKafkaConfig({ KAFKA_BOOTSTRAP_SERVERS: broker.bootstrap, KAFKA_LOG_LEVEL: 'nothing', KAFKA_TOPIC: 'client-test-logs' });

    // Act
    const kafka = await getKafka({ config });
    const again = await getKafka({ config });
    const producer = await getProducer({ config });
    const sameProducer = await getProducer({ config });
    const [result] = await producer.send({ topic: config.logsTopic, messages: [{ key: 'auth-service', value: '{"level":"INFO"}' }] });

    // Assess
    expect(again).toBe(kafka);
    expect(sameProducer).toBe(producer);
    expect(result?.errorCode).toBe(0);
    expect(await highWatermark('client-test-logs')).toBe(1);
  });

  it('connects through an MSK cluster ARN looked up on the local control plane', async () => {
    // Prepare
    const config = loadKafkaConfig({ MSK_CLUSTER_ARN: broker.clusterArn, AWS_ENDPOINT_URL_KAFKA: broker.controlPlaneUrl!, KAFKA_LOG_LEVEL: 'nothing' });
    const mskClient = createMskClient(config.bootstrap as MskBootstrap, { credentials, maxAttempts: 1 });

    // Act
    const producer = await getProducer({ config, mskClient });
    await producer.send({ topic: 'client-test-arn', messages: [{ value: 'one' }, { value: 'two' }] });
    mskClient.destroy();

    // Assess
    expect(await highWatermark('client-test-arn')).toBe(2);
  });

  it('drops a producer that disconnected, so the next call connects a fresh one', async () => {
    // Prepare
    const config = loadKafkaConfig({ KAFKA_BOOTSTRAP_SERVERS: broker.bootstrap, KAFKA_LOG_LEVEL: 'nothing', KAFKA_IDEMPOTENT_PRODUCER: 'true' });
    const first = await getProducer({ config });

    // Act
    await first.disconnect();
    const second = await getProducer({ config });
    await second.send({ topic: 'client-test-reconnect', messages: [{ value: 'after reconnect' }] });

    // Assess
    expect(second).not.toBe(first);
    expect(await highWatermark('client-test-reconnect')).toBe(1);
  });

  it('does not keep a failed cluster lookup: every call asks the control plane again', async () => {
    // Prepare
    const unknownArn = 'arn:aws:kafka:us-east-1:000000000000:cluster/missing/00000000-0000-0000-0000-000000000000-1';
    const config = loadKafkaConfig({ MSK_CLUSTER_ARN: unknownArn, AWS_ENDPOINT_URL_KAFKA: broker.controlPlaneUrl! });
    const mskClient = createMskClient(config.bootstrap as MskBootstrap, { credentials, maxAttempts: 1 });
    const rejectedBefore = broker.logLines.filter((line) => line.message === 'control plane rejected request').length;

    // Act
    const first = await getKafka({ config, mskClient }).catch((error: unknown) => error);
    const second = await getKafka({ config, mskClient }).catch((error: unknown) => error);
    mskClient.destroy();

    // Assess
    expect(first).toBeInstanceOf(ConfigError);
    expect(second).toBeInstanceOf(ConfigError);
    expect(broker.logLines.filter((line) => line.message === 'control plane rejected request').length - rejectedBefore).toBe(2);
  });

  it('refuses SASL-only listeners with a ConfigError that says what to change', () => {
    // Prepare
    const config = loadKafkaConfig({ KAFKA_BOOTSTRAP_SERVERS: 'b-1:9098' });

    // Act / Assess
    expect(() => createKafka(config, { brokers: ['b-1:9098'], transport: 'sasl-iam', source: 'msk' })).toThrow(ConfigError);
    expect(() => createKafka(config, { brokers: ['b-1:9096'], transport: 'sasl-scram', source: 'msk' })).toThrow(/only SASL\/SCRAM listeners.*enable unauthenticated or TLS client access/);
  });
});
