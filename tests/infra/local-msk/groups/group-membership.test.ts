import { afterEach, describe, expect, it } from 'vitest';
import { GroupCoordinator, type GroupCoordinatorOptions } from '../../../../infra/local-msk/groups/group-coordinator.js';
import type { JoinGroupInput, JoinGroupResult } from '../../../../infra/local-msk/groups/types.js';
import { createMemoryLogger } from '../../../../infra/local-msk/logger.js';
import { ErrorCode } from '../../../../infra/local-msk/protocol/error-codes.js';
import { MemoryStorage } from '../../../../infra/local-msk/storage/memory/memory-storage.js';
import { FakeClock } from '../../../helpers/fake-clock.js';

const options: GroupCoordinatorOptions = { initialRebalanceDelayMs: 100, minSessionTimeoutMs: 1000, maxSessionTimeoutMs: 60_000 };
const sessionTimeoutMs = 3000;
const rebalanceTimeoutMs = 5000;

let coordinator: GroupCoordinator | null = null;

function setup(overrides: Partial<GroupCoordinatorOptions> = {}) {
  const clock = new FakeClock();
  const logger = createMemoryLogger();
  const storage = new MemoryStorage();
  coordinator = new GroupCoordinator(storage, { ...options, ...overrides }, clock, logger);
  return { clock, logger, storage, groups: coordinator };
}

afterEach(async () => {
  await coordinator?.close();
  coordinator = null;
});

function joinInput(overrides: Partial<JoinGroupInput> = {}): JoinGroupInput {
  return {
    groupId: 'g',
    sessionTimeoutMs,
    rebalanceTimeoutMs,
    memberId: '',
    groupInstanceId: null,
    protocolType: 'consumer',
    protocols: [{ name: 'roundrobin', metadata: Buffer.from('sub') }],
    clientId: 'client',
    clientHost: '/127.0.0.1',
    requireKnownMemberId: false,
    ...overrides,
  };
}

/** Joins `count` members at once and lets the initial delay pass; returns their join answers in join order. */
async function formGroup(groups: GroupCoordinator, clock: FakeClock, count: number): Promise<JoinGroupResult[]> {
  const joins = Array.from({ length: count }, (_, index) =>
    groups.joinGroup(joinInput({ clientId: `c${index}`, protocols: [{ name: 'roundrobin', metadata: Buffer.from(`m${index}`) }] })),
  );
  clock.advance(options.initialRebalanceDelayMs * (count + 1));
  return Promise.all(joins);
}

/** Forms a Stable group: followers sync first, then the leader assigns `assignment-<memberId>`. */
async function formStableGroup(groups: GroupCoordinator, clock: FakeClock, count: number): Promise<JoinGroupResult[]> {
  const joined = await formGroup(groups, clock, count);
  const leader = joined.find((result) => result.memberId === result.leaderId)!;
  const followerSyncs = joined
    .filter((result) => result !== leader)
    .map((result) => groups.syncGroup({ groupId: 'g', generationId: result.generationId, memberId: result.memberId, groupInstanceId: null, assignments: [] }));
  await groups.syncGroup({
    groupId: 'g',
    generationId: leader.generationId,
    memberId: leader.memberId,
    groupInstanceId: null,
    assignments: joined.map((result) => ({ memberId: result.memberId, assignment: Buffer.from(`assignment-${result.memberId}`) })),
  });
  await Promise.all(followerSyncs);
  return joined;
}

describe('GroupCoordinator membership (classic protocol, fake clock)', () => {
  it('forms one generation of three members with MEMBER_ID_REQUIRED, the leader seeing everyone, followers getting their assignment', async () => {
    // Prepare
    const { clock, groups } = setup();
    const protocolsOf = [
      [{ name: 'range', metadata: Buffer.from('r0') }, { name: 'roundrobin', metadata: Buffer.from('rr0') }],
      [{ name: 'roundrobin', metadata: Buffer.from('rr1') }, { name: 'range', metadata: Buffer.from('r1') }],
      [{ name: 'roundrobin', metadata: Buffer.from('rr2') }, { name: 'range', metadata: Buffer.from('r2') }],
    ];

    // Act: first joins are refused with a fresh member id, second joins wait for the initial delay
    const required = await Promise.all(
      protocolsOf.map((protocols, index) => groups.joinGroup(joinInput({ clientId: `c${index}`, protocols, requireKnownMemberId: true }))),
    );
    const joins = required.map((answer, index) =>
      groups.joinGroup(joinInput({ clientId: `c${index}`, memberId: answer.memberId, protocols: protocolsOf[index]!, requireKnownMemberId: true })),
    );
    clock.advance(100); // the delay is extended once because members kept arriving
    const stateDuringDelay = groups.describeGroup('g').state;
    clock.advance(100);
    const joined = await Promise.all(joins);
    const syncFollowers = [joined[1]!, joined[2]!].map((result) =>
      groups.syncGroup({ groupId: 'g', generationId: result.generationId, memberId: result.memberId, groupInstanceId: null, assignments: [] }),
    );
    const leaderSync = await groups.syncGroup({
      groupId: 'g',
      generationId: joined[0]!.generationId,
      memberId: joined[0]!.memberId,
      groupInstanceId: null,
      assignments: joined.map((result, index) => ({ memberId: result.memberId, assignment: Buffer.from(`a${index}`) })),
    });
    const followerSyncs = await Promise.all(syncFollowers);

    // Assess
    expect(required.map((answer) => answer.errorCode)).toEqual([ErrorCode.MEMBER_ID_REQUIRED, ErrorCode.MEMBER_ID_REQUIRED, ErrorCode.MEMBER_ID_REQUIRED]);
    expect(required[0]!.memberId).toMatch(/^c0-[0-9a-f-]{36}$/);
    expect(stateDuringDelay).toBe('PreparingRebalance');
    expect(joined.map((result) => result.errorCode)).toEqual([ErrorCode.NONE, ErrorCode.NONE, ErrorCode.NONE]);
    expect(new Set(joined.map((result) => result.generationId))).toEqual(new Set([1]));
    expect(joined.every((result) => result.leaderId === required[0]!.memberId)).toBe(true);
    expect(joined[0]!.protocolName).toBe('roundrobin'); // two of three members prefer it
    expect(joined[0]!.members.map((member) => [member.memberId, member.metadata.toString()])).toEqual([
      [required[0]!.memberId, 'rr0'],
      [required[1]!.memberId, 'rr1'],
      [required[2]!.memberId, 'rr2'],
    ]);
    expect(joined[1]!.members).toEqual([]);
    expect(leaderSync).toEqual({ errorCode: ErrorCode.NONE, assignment: Buffer.from('a0') });
    expect(followerSyncs.map((sync) => sync.assignment.toString())).toEqual(['a1', 'a2']);
    const description = groups.describeGroup('g');
    expect(description.state).toBe('Stable');
    expect(description.protocol).toBe('roundrobin');
    expect(description.members.map((member) => [member.clientId, member.memberMetadata.toString(), member.memberAssignment.toString()])).toEqual([
      ['c0', 'rr0', 'a0'],
      ['c1', 'rr1', 'a1'],
      ['c2', 'rr2', 'a2'],
    ]);
  });

  it('extends the initial delay while members keep arriving, but never beyond the first rebalance timeout', async () => {
    // Prepare
    const { clock, groups } = setup();
    const first = groups.joinGroup(joinInput({ clientId: 'c0', rebalanceTimeoutMs: 500 }));
    let done = false;
    void Promise.resolve(first).then(() => (done = true));

    // Act: a new member every 50 ms, so every 100 ms delay sees a newcomer
    const later = [];
    for (let index = 1; index < 10; index++) {
      clock.advance(50);
      later.push(groups.joinGroup(joinInput({ clientId: `c${index}` })));
    }
    await Promise.resolve();
    const doneAt450 = done;
    clock.advance(50);
    const [result] = await Promise.all([first, ...later]);

    // Assess
    expect(doneAt450).toBe(false);
    expect(result).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1 });
    expect(result.members).toHaveLength(10);
  });

  it('rebalances when a member leaves: heartbeats answer REBALANCE_IN_PROGRESS and the rest form the next generation', async () => {
    // Prepare
    const { clock, groups } = setup();
    const [m0, m1, m2] = await formStableGroup(groups, clock, 3);

    // Act
    const leave = groups.leaveGroup('g', [{ memberId: m2!.memberId, groupInstanceId: null }]);
    const heartbeat = groups.heartbeat({ groupId: 'g', generationId: 1, memberId: m0!.memberId, groupInstanceId: null });
    const rejoin0 = groups.joinGroup(joinInput({ memberId: m0!.memberId, clientId: 'c0', protocols: [{ name: 'roundrobin', metadata: Buffer.from('m0') }] }));
    const stateWhileWaiting = groups.describeGroup('g').state;
    const rejoin1 = groups.joinGroup(joinInput({ memberId: m1!.memberId, clientId: 'c1', protocols: [{ name: 'roundrobin', metadata: Buffer.from('m1') }] }));
    const [next0, next1] = await Promise.all([rejoin0, rejoin1]);

    // Assess
    expect(leave.members).toEqual([{ memberId: m2!.memberId, groupInstanceId: null, errorCode: ErrorCode.NONE }]);
    expect(heartbeat).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(stateWhileWaiting).toBe('PreparingRebalance');
    expect(next0.generationId).toBe(2);
    expect(next0.leaderId).toBe(m0!.memberId); // the previous leader keeps the role
    expect(next0.members.map((member) => member.memberId)).toEqual([m0!.memberId, m1!.memberId]);
    expect(next1).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2, members: [] });
    expect(groups.describeGroup('g').state).toBe('CompletingRebalance');
  });

  it('removes a member that stops heartbeating once its session times out, then rebalances without it', async () => {
    // Prepare
    const { clock, groups, logger } = setup();
    const [m0, m1] = await formStableGroup(groups, clock, 2);

    // Act: only m0 heartbeats, every second
    const answers: number[] = [];
    for (let second = 1; second <= 4; second++) {
      clock.advance(1000);
      answers.push(groups.heartbeat({ groupId: 'g', generationId: 1, memberId: m0!.memberId, groupInstanceId: null }));
    }
    const rejoin = await groups.joinGroup(joinInput({ memberId: m0!.memberId, clientId: 'c0', protocols: [{ name: 'roundrobin', metadata: Buffer.from('m0') }] }));
    const lateHeartbeat = groups.heartbeat({ groupId: 'g', generationId: 1, memberId: m1!.memberId, groupInstanceId: null });

    // Assess
    expect(answers).toEqual([ErrorCode.NONE, ErrorCode.NONE, ErrorCode.REBALANCE_IN_PROGRESS, ErrorCode.REBALANCE_IN_PROGRESS]);
    expect(rejoin).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2, leaderId: m0!.memberId });
    expect(rejoin.members.map((member) => member.memberId)).toEqual([m0!.memberId]);
    expect(lateHeartbeat).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(logger.lines.some((line) => line.message === 'member removed' && line.fields?.reason === 'session timeout')).toBe(true);
  });

  it('drops members that keep heartbeating but do not rejoin within the rebalance timeout', async () => {
    // Prepare
    const { clock, groups } = setup();
    const [m0, m1] = await formStableGroup(groups, clock, 2);

    // Act
    const rejoin = groups.joinGroup(joinInput({ memberId: m0!.memberId, clientId: 'c0', protocols: [{ name: 'roundrobin', metadata: Buffer.from('m0') }] }));
    for (let elapsed = 0; elapsed < rebalanceTimeoutMs; elapsed += 1000) {
      clock.advance(1000);
      groups.heartbeat({ groupId: 'g', generationId: 1, memberId: m1!.memberId, groupInstanceId: null });
    }
    const result = await rejoin;

    // Assess
    expect(result).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2 });
    expect(result.members.map((member) => member.memberId)).toEqual([m0!.memberId]);
    expect(groups.heartbeat({ groupId: 'g', generationId: 1, memberId: m1!.memberId, groupInstanceId: null })).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('answers ILLEGAL_GENERATION to a member still on the previous generation', async () => {
    // Prepare
    const { clock, groups } = setup();
    const [m0] = await formStableGroup(groups, clock, 1);
    const rejoined = await groups.joinGroup(joinInput({ memberId: m0!.memberId, clientId: 'c0', protocols: [{ name: 'roundrobin', metadata: Buffer.from('m0') }] }));
    await groups.syncGroup({ groupId: 'g', generationId: 2, memberId: m0!.memberId, groupInstanceId: null, assignments: [] });

    // Act
    const staleSync = await groups.syncGroup({ groupId: 'g', generationId: 1, memberId: m0!.memberId, groupInstanceId: null, assignments: [] });
    const staleHeartbeat = groups.heartbeat({ groupId: 'g', generationId: 1, memberId: m0!.memberId, groupInstanceId: null });
    const staleCommit = await groups.commitOffsets(
      { groupId: 'g', generationId: 1, memberId: m0!.memberId, groupInstanceId: null, topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 5, commitTimestamp: -1, committedMetadata: null }] }] },
      () => true,
    );

    // Assess
    expect(rejoined.generationId).toBe(2); // a leader's rejoin always starts a new generation
    expect(groups.describeGroup('g').state).toBe('Stable');
    expect(staleSync.errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(staleHeartbeat).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(staleCommit.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
  });

  it('validates joins: group id, session timeout, protocol type, unknown member ids, expired handed-out ids', async () => {
    // Prepare
    const { clock, groups } = setup();
    const [m0] = await formStableGroup(groups, clock, 1);

    // Act
    const emptyId = await groups.joinGroup(joinInput({ groupId: '' }));
    const tooShort = await groups.joinGroup(joinInput({ sessionTimeoutMs: 999 }));
    const tooLong = await groups.joinGroup(joinInput({ sessionTimeoutMs: 60_001 }));
    const otherType = await groups.joinGroup(joinInput({ protocolType: 'connect' }));
    const noCommonProtocol = await groups.joinGroup(joinInput({ protocols: [{ name: 'range', metadata: Buffer.alloc(0) }] }));
    const unknownMember = await groups.joinGroup(joinInput({ groupId: 'other', memberId: 'ghost' }));
    const handedOut = await groups.joinGroup(joinInput({ groupId: 'h', requireKnownMemberId: true }));
    const listedWhilePending = groups.listGroups().map((group) => group.groupId);
    clock.advance(sessionTimeoutMs - 1);
    groups.heartbeat({ groupId: 'g', generationId: 1, memberId: m0!.memberId, groupInstanceId: null }); // keeps g alive
    clock.advance(1);
    const expired = await groups.joinGroup(joinInput({ groupId: 'h', memberId: handedOut.memberId, requireKnownMemberId: true }));

    // Assess
    expect(emptyId.errorCode).toBe(ErrorCode.INVALID_GROUP_ID);
    expect(tooShort.errorCode).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
    expect(tooLong.errorCode).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
    expect(otherType.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect(noCommonProtocol.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect(unknownMember.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(handedOut.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    expect(expired.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(listedWhilePending).toEqual(['g', 'h']);
    expect(groups.listGroups().map((group) => group.groupId)).toEqual(['g']); // refused joins leave nothing behind
  });

  it('answers SyncGroup with REBALANCE_IN_PROGRESS while preparing and UNKNOWN_MEMBER_ID for strangers', async () => {
    // Prepare
    const { clock, groups } = setup();
    const [m0, m1] = await formStableGroup(groups, clock, 2);
    const pendingRejoin = groups.joinGroup(joinInput({ memberId: m0!.memberId, clientId: 'c0', protocols: [{ name: 'roundrobin', metadata: Buffer.from('m0') }] }));

    // Act
    const preparing = await groups.syncGroup({ groupId: 'g', generationId: 1, memberId: m1!.memberId, groupInstanceId: null, assignments: [] });
    const stranger = await groups.syncGroup({ groupId: 'g', generationId: 1, memberId: 'ghost', groupInstanceId: null, assignments: [] });
    const noGroup = await groups.syncGroup({ groupId: 'nope', generationId: 1, memberId: 'ghost', groupInstanceId: null, assignments: [] });
    groups.leaveGroup('g', [{ memberId: m1!.memberId, groupInstanceId: null }]);
    await pendingRejoin;

    // Assess
    expect(preparing.errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(stranger.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(noGroup.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('repeats the generation to a member that rejoins unchanged while CompletingRebalance, and resets waiting syncs when the leader dies', async () => {
    // Prepare
    const { clock, groups } = setup();
    const [m0, m1] = await formGroup(groups, clock, 2);

    // Act
    const repeat = await groups.joinGroup(joinInput({ memberId: m1!.memberId, clientId: 'c1', protocols: [{ name: 'roundrobin', metadata: Buffer.from('m1') }] }));
    const followerSync = groups.syncGroup({ groupId: 'g', generationId: 1, memberId: m1!.memberId, groupInstanceId: null, assignments: [] });
    clock.advance(sessionTimeoutMs); // the leader never syncs nor heartbeats
    const answer = await followerSync;

    // Assess
    expect(repeat).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, leaderId: m0!.memberId, members: [] });
    expect(answer.errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(groups.describeGroup('g').members.map((member) => member.memberId)).toEqual([m1!.memberId]);
  });

  it('leaves with per-member errors and keeps an emptied group listed while it has offsets', async () => {
    // Prepare
    const { clock, groups } = setup();
    const [m0] = await formStableGroup(groups, clock, 1);
    await groups.commitOffsets(
      { groupId: 'g', generationId: 1, memberId: m0!.memberId, groupInstanceId: null, topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 7, commitTimestamp: -1, committedMetadata: 'x' }] }] },
      () => true,
    );

    // Act
    const left = groups.leaveGroup('g', [
      { memberId: m0!.memberId, groupInstanceId: null },
      { memberId: 'ghost', groupInstanceId: 'instance-1' },
    ]);
    const unknownGroup = groups.leaveGroup('nope', [{ memberId: 'x', groupInstanceId: null }]);

    // Assess
    expect(left).toEqual({
      errorCode: ErrorCode.NONE,
      members: [
        { memberId: m0!.memberId, groupInstanceId: null, errorCode: ErrorCode.NONE },
        { memberId: 'ghost', groupInstanceId: 'instance-1', errorCode: ErrorCode.UNKNOWN_MEMBER_ID },
      ],
    });
    expect(unknownGroup.members[0]!.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(groups.describeGroup('g')).toMatchObject({ state: 'Empty', protocolType: 'consumer', members: [] });
    expect(groups.listGroups()).toEqual([{ groupId: 'g', protocolType: 'consumer' }]);
    expect(groups.fetchOffsets('g', [{ name: 't', partitionIndexes: [0] }]).topics[0]!.partitions[0]).toMatchObject({ committedOffset: 7, metadata: 'x' });
  });

  it('forgets a group without offsets once its last member leaves (described as Dead)', async () => {
    // Prepare
    const { clock, groups } = setup();
    const [m0] = await formStableGroup(groups, clock, 1);

    // Act
    groups.leaveGroup('g', [{ memberId: m0!.memberId, groupInstanceId: null }]);

    // Assess
    expect(groups.describeGroup('g')).toEqual({ errorCode: ErrorCode.NONE, groupId: 'g', state: 'Dead', protocolType: '', protocol: '', members: [] });
    expect(groups.listGroups()).toEqual([]);
  });

  it('answers waiting joins with NOT_COORDINATOR on close and leaves no timer behind', async () => {
    // Prepare
    const { clock, groups } = setup();
    const [m0, m1] = await formStableGroup(groups, clock, 2);
    const waitingJoin = groups.joinGroup(joinInput({ memberId: m0!.memberId, clientId: 'c0', protocols: [{ name: 'roundrobin', metadata: Buffer.from('m0') }] }));

    // Act
    await groups.close();
    const answer = await waitingJoin;

    // Assess
    expect(answer.errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    expect(clock.pendingTimers()).toBe(0);
    expect(groups.heartbeat({ groupId: 'g', generationId: 1, memberId: m1!.memberId, groupInstanceId: null })).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
  });
});
