import type { Admin } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiKey } from '../../../../../infra/local-msk/protocol/api-keys.js';
import { ErrorCode } from '../../../../../infra/local-msk/protocol/error-codes.js';
import { kafkaClient, startTestBroker, type TestBroker } from '../../../../helpers/broker.js';
import { RawKafkaClient } from '../../../../helpers/raw-kafka-client.js';
import { kafkajsResponse } from '../../protocol/requests/admin-codec-helpers.js';
import { kafkajsRequestOver } from './data-wire.js';

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(overrides: Parameters<typeof startTestBroker>[0] = {}): Promise<{ broker: TestBroker; raw: RawKafkaClient; admin: Admin }> {
  const broker = await startTestBroker(overrides);
  cleanups.push(() => broker.close());
  const raw = await RawKafkaClient.connect(broker.bootstrap);
  cleanups.push(() => raw.close());
  const admin = kafkaClient(broker).admin();
  await admin.connect();
  cleanups.push(() => admin.disconnect());
  return { broker, raw, admin };
}

const metadata = (raw: RawKafkaClient, version: number, topics: string[], allowAutoTopicCreation = true) =>
  kafkajsRequestOver(raw, 'metadata', version, { topics, allowAutoTopicCreation });

describe('Metadata', () => {
  it('describes this single node as leader and only replica of every partition (kafkajs admin)', async () => {
    // Prepare
    const { broker, admin } = await setUp({ nodeId: 7 });
    await broker.context.topics.create('orders', 3);
    // Act
    const { topics } = await admin.fetchTopicMetadata({ topics: ['orders'] });
    const cluster = await admin.describeCluster();
    // Assess
    expect(topics[0]!.partitions.sort((a, b) => a.partitionId - b.partitionId)).toEqual(
      [0, 1, 2].map((partitionId) => ({ partitionErrorCode: 0, partitionId, leader: 7, replicas: [7], isr: [7], offlineReplicas: [] })),
    );
    expect(cluster).toEqual({
      brokers: [{ nodeId: 7, host: '127.0.0.1', port: broker.port }],
      controller: 7,
      clusterId: 'local-msk-cluster-0001',
    });
  });

  it('lists every topic for a null list (v1+) and an empty list (v0), and none for an empty list in v1+', async () => {
    // Prepare
    const { broker, raw } = await setUp();
    await broker.context.topics.create('a', 1);
    await broker.context.topics.create('b', 2);
    // Act
    const v0All = await metadata(raw, 0, []);
    // kafkajs writes any empty list as null, so the v1 bodies are written by hand.
    const v1All = await kafkajsResponse('metadata', 1).decode(await raw.send(ApiKey.Metadata, 1, Buffer.from('ffffffff', 'hex')));
    const v1None = await kafkajsResponse('metadata', 1).decode(await raw.send(ApiKey.Metadata, 1, Buffer.from('00000000', 'hex')));
    // Assess
    const names = (response: any) => response.topicMetadata.map((t: any) => t.topic).sort();
    expect(names(v0All)).toEqual(['a', 'b']);
    expect(names(v1All)).toEqual(['a', 'b']);
    expect(names(v1None)).toEqual([]);
  });

  it('auto-creates requested topics with the default partition count unless the request (v4+) forbids it', async () => {
    // Prepare
    const { broker, raw } = await setUp({ defaultPartitions: 4 });
    // Act
    const allowed = await metadata(raw, 4, ['created-by-metadata'], true);
    const forbidden = await metadata(raw, 4, ['not-created'], false);
    const belowV4 = await metadata(raw, 3, ['created-by-v3']);
    // Assess
    expect(allowed.topicMetadata[0]).toMatchObject({ topicErrorCode: 0, topic: 'created-by-metadata' });
    expect(allowed.topicMetadata[0].partitionMetadata).toHaveLength(4);
    expect(forbidden.topicMetadata[0]).toMatchObject({ topicErrorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, partitionMetadata: [] });
    expect(belowV4.topicMetadata[0].topicErrorCode).toBe(0);
    expect(broker.context.topics.list().map((t) => t.name).sort()).toEqual(['created-by-metadata', 'created-by-v3']);
  });

  it('answers UNKNOWN_TOPIC_OR_PARTITION when the broker does not auto-create', async () => {
    // Prepare
    const { broker, raw } = await setUp({ autoCreateTopics: false });
    // Act
    const response = await metadata(raw, 6, ['missing'], true);
    // Assess
    expect(response.topicMetadata[0].topicErrorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    expect(broker.context.topics.get('missing')).toBeUndefined();
  });

  it('answers INVALID_TOPIC_EXCEPTION for an illegal name, next to valid topics', async () => {
    // Prepare
    const { broker, raw } = await setUp();
    await broker.context.topics.create('fine', 1);
    // Act
    const response = await metadata(raw, 5, ['fine', '../etc', 'x'.repeat(250)]);
    // Assess
    expect(response.topicMetadata.map((t: any) => t.topicErrorCode)).toEqual([0, ErrorCode.INVALID_TOPIC_EXCEPTION, ErrorCode.INVALID_TOPIC_EXCEPTION]);
    expect(broker.context.topics.list()).toHaveLength(1);
  });

  it('answers every version 0-6 with the broker, and controller and cluster id where the version has them', async () => {
    // Prepare
    const { broker, raw } = await setUp();
    await broker.context.topics.create('versions', 1);
    // Act
    const responses = [];
    for (let version = 0; version <= 6; version++) responses.push(await metadata(raw, version, ['versions']));
    // Assess
    for (const [version, response] of responses.entries()) {
      expect(response.brokers, `v${version}`).toEqual([expect.objectContaining({ nodeId: 1, host: '127.0.0.1', port: broker.port })]);
      expect(response.topicMetadata[0].partitionMetadata).toHaveLength(1);
      if (version >= 1) expect(response.controllerId).toBe(1);
      if (version >= 2) expect(response.clusterId).toBe('local-msk-cluster-0001');
    }
  });
});
