import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaClient, startTestBroker, type TestBroker } from '../../../../helpers/broker.js';
import { consumeAll, topicWithRecords } from './group-admin-helpers.js';

let broker: TestBroker;

beforeAll(async () => {
  broker = await startTestBroker();
});

afterAll(async () => {
  await broker?.close();
});

describe('ListGroups handler through kafkajs admin', () => {
  it('lists running groups, and keeps listing a group whose members left while it has committed offsets', async () => {
    // Prepare
    const kafka = kafkaClient(broker);
    await topicWithRecords(kafka, 'listed', 1, 3);
    const first = await consumeAll(kafka, 'listed-a', 'listed', 3);
    const second = await consumeAll(kafka, 'listed-b', 'listed', 3);
    const admin = kafka.admin();
    await admin.connect();

    // Act
    const whileRunning = await admin.listGroups();
    await first.consumer.disconnect();
    const afterLeaving = await admin.listGroups();
    const stateAfterLeaving = (await admin.describeGroups(['listed-a'])).groups[0]!.state;
    await second.consumer.disconnect();
    await admin.disconnect();

    // Assess
    const sorted = (groups: { groupId: string; protocolType: string }[]) => [...groups].sort((a, b) => a.groupId.localeCompare(b.groupId));
    expect(sorted(whileRunning.groups)).toEqual([
      { groupId: 'listed-a', protocolType: 'consumer' },
      { groupId: 'listed-b', protocolType: 'consumer' },
    ]);
    expect(sorted(afterLeaving.groups)).toEqual(sorted(whileRunning.groups));
    expect(stateAfterLeaving).toBe('Empty');
  });
});
