import { afterEach, describe, expect, it } from 'vitest';
import { kafkaClient } from '../../../helpers/broker.js';
import { consumeAll } from '../broker/handlers/group-admin-helpers.js';
import { BrokerProcess, committedOffset } from './broker-process.js';

/**
 * The in-memory broker keeps nothing across a restart, but while it runs a deleted topic takes
 * its consumers' committed offsets with it (as Kafka does): a topic recreated under the same
 * name is read from its start, not from where the group stood in the old topic.
 */
describe('in-memory broker: a deleted and recreated topic (real broker process)', () => {
  const broker = new BrokerProcess('memory');

  afterEach(async () => {
    await broker.cleanUp();
  });

  it("resets the group's committed offsets, so its consumer reads the new topic from the start", async () => {
    // Prepare: a group reads and commits the old topic's two records
    await broker.start();
    const kafka = kafkaClient(broker);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'recreated', numPartitions: 1 }] });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'recreated', messages: [{ value: 'old-0' }, { value: 'old-1' }] });
    const firstRead = await consumeAll(kafka, 'readers', 'recreated', 2);
    await firstRead.consumer.disconnect();
    const committedBeforeDelete = await committedOffset(await broker.connect(), 'readers', 'recreated');

    // Act: delete, recreate, store four new records, read with the same group
    await admin.deleteTopics({ topics: ['recreated'] });
    await admin.createTopics({ topics: [{ topic: 'recreated', numPartitions: 1 }] });
    const committedAfterRecreate = await committedOffset(await broker.connect(), 'readers', 'recreated');
    await producer.send({ topic: 'recreated', messages: ['new-0', 'new-1', 'new-2', 'new-3'].map((value) => ({ value })) });
    const secondRead = await consumeAll(kafka, 'readers', 'recreated', 4);
    await secondRead.consumer.disconnect();
    await producer.disconnect();
    await admin.disconnect();

    // Assess: a stale offset 2 would have skipped new-0 and new-1
    expect(firstRead.values).toEqual(['old-0', 'old-1']);
    expect(committedBeforeDelete).toBe(2);
    expect(committedAfterRecreate).toBe(-1);
    expect(secondRead.values).toEqual(['new-0', 'new-1', 'new-2', 'new-3']);
  });
});
