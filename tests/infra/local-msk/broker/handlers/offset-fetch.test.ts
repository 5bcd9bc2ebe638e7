import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKey } from '../../../../../infra/local-msk/protocol/api-keys.js';
import { Writer } from '../../../../../infra/local-msk/protocol/writer.js';
import { kafkaClient, startTestBroker, type TestBroker } from '../../../../helpers/broker.js';
import { RawKafkaClient } from '../../../../helpers/raw-kafka-client.js';
import { consumeAll, topicWithRecords } from './group-admin-helpers.js';
import { kafkajsDecodeResponse, kafkajsRoundTrip } from './group-wire.js';

let broker: TestBroker;

beforeAll(async () => {
  broker = await startTestBroker();
});

afterAll(async () => {
  await broker?.close();
});

describe('OffsetFetch handler', () => {
  it('serves what a consumer group committed, and -1 for a group that never committed (kafkajs admin.fetchOffsets)', async () => {
    // Prepare
    const kafka = kafkaClient(broker);
    await topicWithRecords(kafka, 'fetched', 3, 9);
    const { consumer, values } = await consumeAll(kafka, 'fetch-group', 'fetched', 9);
    await consumer.disconnect();
    const admin = kafka.admin();
    await admin.connect();

    // Act
    const committed = await admin.fetchOffsets({ groupId: 'fetch-group', topics: ['fetched'] });
    const nothing = await admin.fetchOffsets({ groupId: 'idle-group', topics: ['fetched'] });
    await admin.disconnect();

    // Assess
    expect(values).toHaveLength(9);
    expect(committed).toEqual([
      {
        topic: 'fetched',
        partitions: [0, 1, 2].map((partition) => ({ partition, offset: '3', metadata: null })),
      },
    ]);
    expect(nothing[0]!.partitions.map((partition) => partition.offset)).toEqual(['-1', '-1', '-1']);
  });

  it('answers null topics (v2+) with every committed partition, and rejects an empty group id', async () => {
    // Prepare
    await topicWithRecords(kafkaClient(broker), 'all-topics', 2, 2);
    const client = await RawKafkaClient.connect(broker.bootstrap);
    const commit = await kafkajsRoundTrip(client, 'offsetCommit', 5, {
      groupId: 'null-topics', groupGenerationId: -1, memberId: '', topics: [{ topic: 'all-topics', partitions: [{ partition: 1, offset: '1' }] }],
    });

    // Act: kafkajs's builders cannot send null topics, so that v4 body is written here (group_id, count -1)
    const nullTopicsBody = new Writer().string('null-topics').int32(-1).toBuffer();
    const all = await kafkajsDecodeResponse('offsetFetch', 4, await client.send(ApiKey.OffsetFetch, 4, nullTopicsBody));
    const noTopics = await kafkajsRoundTrip(client, 'offsetFetch', 2, { groupId: 'null-topics', topics: [] });
    const emptyId = await kafkajsRoundTrip(client, 'offsetFetch', 3, { groupId: '', topics: [] });
    await client.close();

    // Assess
    expect(commit.responses[0].partitions[0].errorCode).toBe(0);
    expect(noTopics.responses).toEqual([]); // an empty topics array asks for nothing
    expect(all.errorCode).toBe(0);
    expect(all.responses).toEqual([{ topic: 'all-topics', partitions: [{ partition: 1, offset: '1', metadata: '', errorCode: 0 }] }]);
    expect(emptyId.errorCode).toBe(24);
  });
});
