import { AssignerProtocol, type Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaClient, startTestBroker, type TestBroker } from '../../helpers/broker.js';
import { RawKafkaClient } from '../../helpers/raw-kafka-client.js';
import { kafkajsRoundTrip } from './broker/handlers/group-wire.js';

/**
 * A member that stops heartbeating without leaving (a crashed process) is removed after its
 * session timeout, and the live kafkajs member takes its partitions back. The silent member
 * speaks the protocol through raw requests (kafkajs's own encoders), so it can simply go quiet.
 */

const topic = 'expiring';
const groupId = 'expiry-group';

let broker: TestBroker;
let consumer: Consumer | null = null;
let silent: RawKafkaClient | null = null;

beforeAll(async () => {
  broker = await startTestBroker();
});

afterAll(async () => {
  await consumer?.disconnect();
  await silent?.close();
  await broker?.close();
});

async function waitFor(what: string, condition: () => boolean, limitMs = 45_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('consumer group session expiry', () => {
  it('removes a member that went silent after its session timeout and gives its partitions back', async () => {
    // Prepare: a kafkajs member alone in the group
    const kafka = kafkaClient(broker);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 4 }] });
    await admin.disconnect();
    const assignments: number[][] = [];
    const values: string[] = [];
    consumer = kafka.consumer({ groupId, sessionTimeout: 6000, heartbeatInterval: 300, rebalanceTimeout: 6000, maxWaitTimeInMs: 100 });
    consumer.on(consumer.events.GROUP_JOIN, (event) => assignments.push(event.payload.memberAssignment[topic] ?? []));
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void values.push(message.value!.toString()) });
    await waitFor('the kafkajs member owning all partitions', () => assignments.at(-1)?.length === 4);

    // Act 1: a second member joins (2 s session), receives its share, then goes silent
    silent = await RawKafkaClient.connect(broker.bootstrap, { clientId: 'silent' });
    const join = (memberId: string) =>
      kafkajsRoundTrip(silent!, 'joinGroup', 5, {
        groupId, sessionTimeout: 2000, rebalanceTimeout: 6000, memberId, protocolType: 'consumer',
        groupProtocols: [{ name: 'RoundRobinAssigner', metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics: [topic], userData: Buffer.alloc(0) }) }],
      });
    const required = await join('');
    const joined = await join(required.memberId);
    const synced = await kafkajsRoundTrip(silent, 'syncGroup', 3, { groupId, generationId: joined.generationId, memberId: joined.memberId, groupAssignment: [] });
    const shareOfSilent = AssignerProtocol.MemberAssignment.decode(synced.memberAssignment)?.assignment[topic] ?? [];
    await waitFor('the kafkajs member holding the rest', () => assignments.at(-1)?.length === 4 - shareOfSilent.length);

    // Act 2: records arrive for every partition while the silent member's session runs out
    const producer = kafka.producer();
    await producer.connect();
    const produced = Array.from({ length: 40 }, (_, index) => `value-${index}`);
    await producer.send({ topic, messages: produced.map((value, index) => ({ value, partition: index % 4 })) });
    await producer.disconnect();
    await waitFor('every record consumed by the live member', () => produced.every((value) => values.includes(value)));

    // Assess
    expect(required.errorCode).toBe(79);
    expect(joined.errorCode).toBe(0);
    expect(shareOfSilent.length).toBeGreaterThan(0);
    expect(assignments.at(-1)?.slice().sort()).toEqual([0, 1, 2, 3]);
    expect(broker.logLines.some((line) => line.message === 'member removed' && line.fields?.member === joined.memberId && line.fields?.reason === 'session timeout')).toBe(true);
    const description = broker.context.groups.describeGroup(groupId);
    expect(description.members.map((member) => member.clientId)).toEqual(['local-msk-test']);
  });
});
