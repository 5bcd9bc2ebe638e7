import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from '../../../../helpers/broker.js';
import { RawKafkaClient } from '../../../../helpers/raw-kafka-client.js';
import { kafkajsRoundTrip } from './group-wire.js';

let broker: TestBroker;
let client: RawKafkaClient;

beforeAll(async () => {
  broker = await startTestBroker({ minSessionTimeoutMs: 1000, maxSessionTimeoutMs: 30_000 });
  client = await RawKafkaClient.connect(broker.bootstrap, { clientId: 'wire-client' });
});

afterAll(async () => {
  await client?.close();
  await broker?.close();
});

const join = (overrides: Record<string, unknown>) => ({
  groupId: 'wire-group',
  sessionTimeout: 10_000,
  rebalanceTimeout: 10_000,
  memberId: '',
  protocolType: 'consumer',
  groupProtocols: [{ name: 'RoundRobinAssigner', metadata: Buffer.from([9, 9]) }],
  ...overrides,
});

describe('JoinGroup, SyncGroup, Heartbeat and LeaveGroup handlers over the wire', () => {
  it('takes one member through MEMBER_ID_REQUIRED, join, sync, heartbeat and leave (kafkajs v5/v3/v3/v3 bytes)', async () => {
    // Act
    const first = await kafkajsRoundTrip(client, 'joinGroup', 5, join({}));
    const joined = await kafkajsRoundTrip(client, 'joinGroup', 5, join({ memberId: first.memberId, groupInstanceId: 'instance-a' }));
    const synced = await kafkajsRoundTrip(client, 'syncGroup', 3, {
      groupId: 'wire-group', generationId: joined.generationId, memberId: joined.memberId, groupInstanceId: 'instance-a',
      groupAssignment: [{ memberId: joined.memberId, memberAssignment: Buffer.from('all-yours') }],
    });
    const beat = await kafkajsRoundTrip(client, 'heartbeat', 3, { groupId: 'wire-group', groupGenerationId: joined.generationId, memberId: joined.memberId, groupInstanceId: null });
    const described = broker.context.groups.describeGroup('wire-group');
    const left = await kafkajsRoundTrip(client, 'leaveGroup', 3, { groupId: 'wire-group', members: [{ memberId: joined.memberId }, { memberId: 'stranger' }] });

    // Assess
    expect(first.errorCode).toBe(79);
    expect(first.memberId).toMatch(/^wire-client-[0-9a-f-]{36}$/);
    expect(joined).toMatchObject({ errorCode: 0, generationId: 1, groupProtocol: 'RoundRobinAssigner', leaderId: first.memberId, memberId: first.memberId });
    expect(joined.members).toEqual([{ memberId: first.memberId, groupInstanceId: 'instance-a', memberMetadata: Buffer.from([9, 9]) }]);
    expect(synced).toMatchObject({ errorCode: 0, memberAssignment: Buffer.from('all-yours') });
    expect(beat.errorCode).toBe(0);
    expect(described).toMatchObject({ state: 'Stable', members: [{ clientId: 'wire-client', clientHost: '/127.0.0.1', groupInstanceId: 'instance-a' }] });
    expect(left.errorCode).toBe(0);
    expect(left.members).toEqual([
      { memberId: first.memberId, groupInstanceId: null, errorCode: 0 },
      { memberId: 'stranger', groupInstanceId: null, errorCode: 25 },
    ]);
    expect(broker.context.groups.describeGroup('wire-group').state).toBe('Dead'); // no offsets: forgotten
  });

  it('lets v0-v3 members join directly with an empty member id', async () => {
    // Act
    const v0 = await kafkajsRoundTrip(client, 'joinGroup', 0, join({ groupId: 'old-client' }));
    const leave = await kafkajsRoundTrip(client, 'leaveGroup', 0, { groupId: 'old-client', memberId: v0.memberId });
    const leaveAgain = await kafkajsRoundTrip(client, 'leaveGroup', 1, { groupId: 'old-client', memberId: v0.memberId });
    // Assess
    expect(v0).toMatchObject({ errorCode: 0, generationId: 1, leaderId: v0.memberId });
    expect(v0.memberId).toMatch(/^wire-client-/);
    expect(leave.errorCode).toBe(0);
    expect(leaveAgain.errorCode).toBe(25); // v0-v2 carry the member's error at the top level
  });

  it('refuses bad joins with the matching error codes', async () => {
    // Act
    const emptyGroup = await kafkajsRoundTrip(client, 'joinGroup', 3, join({ groupId: '' }));
    const shortSession = await kafkajsRoundTrip(client, 'joinGroup', 3, join({ sessionTimeout: 999 }));
    const longSession = await kafkajsRoundTrip(client, 'joinGroup', 3, join({ sessionTimeout: 30_001 }));
    const unknownMember = await kafkajsRoundTrip(client, 'joinGroup', 3, join({ groupId: 'nobody-here', memberId: 'ghost' }));
    const heartbeatEmpty = await kafkajsRoundTrip(client, 'heartbeat', 1, { groupId: '', groupGenerationId: 1, memberId: 'ghost' });
    const syncUnknown = await kafkajsRoundTrip(client, 'syncGroup', 1, { groupId: 'nobody-here', generationId: 1, memberId: 'ghost', groupAssignment: [] });
    // Assess
    expect(emptyGroup.errorCode).toBe(24);
    expect(shortSession.errorCode).toBe(26);
    expect(longSession.errorCode).toBe(26);
    expect(unknownMember.errorCode).toBe(25);
    expect(heartbeatEmpty.errorCode).toBe(24);
    expect(syncUnknown.errorCode).toBe(25);
    expect(broker.context.groups.listGroups()).toEqual([]);
  });
});
