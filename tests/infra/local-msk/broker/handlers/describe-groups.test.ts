import { AssignerProtocol, type Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaClient, startTestBroker, type TestBroker } from '../../../../helpers/broker.js';
import { consumeAll, topicWithRecords } from './group-admin-helpers.js';

let broker: TestBroker;
const consumers: Consumer[] = [];

beforeAll(async () => {
  broker = await startTestBroker();
});

afterAll(async () => {
  for (const consumer of consumers) await consumer.disconnect();
  await broker?.close();
});

describe('DescribeGroups handler through kafkajs admin', () => {
  it('describes a running consumer group as Stable with its member, metadata and assignment, and an unknown group as Dead', async () => {
    // Prepare
    const kafka = kafkaClient(broker, { clientId: 'describer' });
    await topicWithRecords(kafka, 'described', 2, 4);
    const { consumer } = await consumeAll(kafka, 'described-group', 'described', 4);
    consumers.push(consumer);
    const admin = kafka.admin();
    await admin.connect();

    // Act
    const { groups } = await admin.describeGroups(['described-group', 'never-seen']);
    await admin.disconnect();

    // Assess
    const [running, unknown] = groups;
    expect(running).toMatchObject({ groupId: 'described-group', errorCode: 0, state: 'Stable', protocolType: 'consumer', protocol: 'RoundRobinAssigner' });
    expect(running!.members).toHaveLength(1);
    expect(running!.members[0]).toMatchObject({ clientId: 'describer', clientHost: '/127.0.0.1' });
    expect(AssignerProtocol.MemberMetadata.decode(running!.members[0]!.memberMetadata)?.topics).toEqual(['described']);
    expect(AssignerProtocol.MemberAssignment.decode(running!.members[0]!.memberAssignment)?.assignment).toEqual({ described: [0, 1] });
    expect(unknown).toEqual({ groupId: 'never-seen', errorCode: 0, state: 'Dead', protocolType: '', protocol: '', members: [] });
  });
});
