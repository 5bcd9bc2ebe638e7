import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaClient, startTestBroker, type TestBroker } from '../../../../helpers/broker.js';
import { RawKafkaClient } from '../../../../helpers/raw-kafka-client.js';
import { consumeAll, topicWithRecords } from './group-admin-helpers.js';
import { kafkajsRoundTrip } from './group-wire.js';

let broker: TestBroker;

beforeAll(async () => {
  broker = await startTestBroker();
});

afterAll(async () => {
  await broker?.close();
});

describe('OffsetCommit handler', () => {
  it('admin.setOffsets moves an idle group, and its next consumer starts there', async () => {
    // Prepare
    const kafka = kafkaClient(broker);
    await topicWithRecords(kafka, 'seekable', 1, 10);
    const admin = kafka.admin();
    await admin.connect();

    // Act
    await admin.setOffsets({ groupId: 'seek-group', topic: 'seekable', partitions: [{ partition: 0, offset: '7' }] });
    const stored = await admin.fetchOffsets({ groupId: 'seek-group', topics: ['seekable'] });
    const { consumer, values } = await consumeAll(kafka, 'seek-group', 'seekable', 3);
    await consumer.disconnect();
    await admin.disconnect();

    // Assess
    expect(stored[0]!.partitions).toEqual([{ partition: 0, offset: '7', metadata: null }]);
    expect(values).toEqual(['seekable-7', 'seekable-8', 'seekable-9']);
  });

  it('admin.resetOffsets(earliest) makes a caught-up group read everything again', async () => {
    // Prepare
    const kafka = kafkaClient(broker);
    await topicWithRecords(kafka, 'replayed', 2, 6);
    const first = await consumeAll(kafka, 'replay-group', 'replayed', 6);
    await first.consumer.disconnect();
    const admin = kafka.admin();
    await admin.connect();

    // Act
    await admin.resetOffsets({ groupId: 'replay-group', topic: 'replayed', earliest: true });
    const reset = await admin.fetchOffsets({ groupId: 'replay-group', topics: ['replayed'] });
    const again = await consumeAll(kafka, 'replay-group', 'replayed', 6);
    await again.consumer.disconnect();
    await admin.disconnect();

    // Assess
    expect(reset[0]!.partitions.map((partition) => partition.offset)).toEqual(['-2', '-2']); // kafkajs commits the "earliest" marker
    expect(again.values.sort()).toEqual(first.values.sort());
  });

  it('refuses commits to unknown partitions, and from outside group management while the group has members', async () => {
    // Prepare
    const kafka = kafkaClient(broker);
    await topicWithRecords(kafka, 'guarded', 1, 1);
    const { consumer } = await consumeAll(kafka, 'busy-group', 'guarded', 1);
    const client = await RawKafkaClient.connect(broker.bootstrap);
    const topics = [{ topic: 'guarded', partitions: [{ partition: 0, offset: '1' }, { partition: 5, offset: '1' }] }];

    // Act
    const simple = await kafkajsRoundTrip(client, 'offsetCommit', 2, { groupId: 'free-group', groupGenerationId: -1, memberId: '', retentionTime: -1, topics });
    const intruder = await kafkajsRoundTrip(client, 'offsetCommit', 0, { groupId: 'busy-group', topics });
    const emptyId = await kafkajsRoundTrip(client, 'offsetCommit', 5, { groupId: '', groupGenerationId: -1, memberId: '', topics });
    await client.close();
    await consumer.disconnect();

    // Assess
    expect(simple.responses[0].partitions).toEqual([{ partition: 0, errorCode: 0 }, { partition: 5, errorCode: 3 }]);
    expect(intruder.responses[0].partitions.map((partition: { errorCode: number }) => partition.errorCode)).toEqual([25, 25]);
    expect(emptyId.responses[0].partitions.map((partition: { errorCode: number }) => partition.errorCode)).toEqual([24, 24]);
  });
});
