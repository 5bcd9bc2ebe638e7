import { afterEach, describe, expect, it } from 'vitest';
import { GroupCoordinator } from '../../../../infra/local-msk/groups/group-coordinator.js';
import type { JoinGroupResult, OffsetCommitInput } from '../../../../infra/local-msk/groups/types.js';
import { createMemoryLogger } from '../../../../infra/local-msk/logger.js';
import { ErrorCode } from '../../../../infra/local-msk/protocol/error-codes.js';
import { MemoryStorage } from '../../../../infra/local-msk/storage/memory/memory-storage.js';
import type { CommittedOffset } from '../../../../infra/local-msk/storage/storage.js';
import { FakeClock } from '../../../helpers/fake-clock.js';

const options = { initialRebalanceDelayMs: 0, minSessionTimeoutMs: 1000, maxSessionTimeoutMs: 60_000 };
const coordinators: GroupCoordinator[] = [];

function setup(storage = new MemoryStorage()) {
  const clock = new FakeClock(1_000_000);
  const groups = new GroupCoordinator(storage, options, clock, createMemoryLogger());
  coordinators.push(groups);
  return { clock, storage, groups };
}

afterEach(async () => {
  for (const groups of coordinators.splice(0)) await groups.close();
});

/** Topic "t" with partitions 0..2 exists; nothing else does. */
const partitionExists = (topic: string, partition: number) => topic === 't' && partition >= 0 && partition < 3;

function commit(overrides: Partial<OffsetCommitInput>, partitions: [number, number, string | null][]): OffsetCommitInput {
  return {
    groupId: 'g',
    generationId: -1,
    memberId: '',
    groupInstanceId: null,
    topics: [{ name: 't', partitions: partitions.map(([partitionIndex, committedOffset, committedMetadata]) => ({ partitionIndex, committedOffset, commitTimestamp: -1, committedMetadata })) }],
    ...overrides,
  };
}

async function stableMember(groups: GroupCoordinator, clock: FakeClock): Promise<JoinGroupResult> {
  const joining = groups.joinGroup({
    groupId: 'g',
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 10_000,
    memberId: '',
    groupInstanceId: null,
    protocolType: 'consumer',
    protocols: [{ name: 'roundrobin', metadata: Buffer.alloc(0) }],
    clientId: 'c',
    clientHost: '/127.0.0.1',
    requireKnownMemberId: false,
  });
  clock.advance(0);
  const joined = await joining;
  await groups.syncGroup({ groupId: 'g', generationId: joined.generationId, memberId: joined.memberId, groupInstanceId: null, assignments: [] });
  return joined;
}

describe('GroupCoordinator offsets', () => {
  it('persists a member commit before answering and serves it back with its metadata', async () => {
    // Prepare
    const { clock, storage, groups } = setup();
    const member = await stableMember(groups, clock);

    // Act
    const answer = await groups.commitOffsets(commit({ generationId: member.generationId, memberId: member.memberId }, [[0, 42, 'meta'], [1, 7, null]]), partitionExists);
    const stored = await storage.loadOffsets();
    const fetched = groups.fetchOffsets('g', [{ name: 't', partitionIndexes: [0, 1, 2] }, { name: 'unknown', partitionIndexes: [0] }]);

    // Assess
    expect(answer.topics[0]!.partitions.map((partition) => partition.errorCode)).toEqual([ErrorCode.NONE, ErrorCode.NONE]);
    expect(stored.sort((a, b) => a.partition - b.partition)).toEqual<CommittedOffset[]>([
      { groupId: 'g', topic: 't', partition: 0, offset: 42, metadata: 'meta', commitTimestamp: 1_000_000 },
      { groupId: 'g', topic: 't', partition: 1, offset: 7, metadata: '', commitTimestamp: 1_000_000 },
    ]);
    expect(fetched).toEqual({
      errorCode: ErrorCode.NONE,
      topics: [
        {
          name: 't',
          partitions: [
            { partitionIndex: 0, committedOffset: 42, metadata: 'meta', errorCode: ErrorCode.NONE },
            { partitionIndex: 1, committedOffset: 7, metadata: '', errorCode: ErrorCode.NONE },
            { partitionIndex: 2, committedOffset: -1, metadata: '', errorCode: ErrorCode.NONE },
          ],
        },
        { name: 'unknown', partitions: [{ partitionIndex: 0, committedOffset: -1, metadata: '', errorCode: ErrorCode.NONE }] },
      ],
    });
  });

  it('refuses commit metadata over 4096 characters with OFFSET_METADATA_TOO_LARGE and stores nothing for it', async () => {
    // Prepare
    const { storage, groups } = setup();

    // Act
    const answer = await groups.commitOffsets(commit({}, [[0, 5, 'm'.repeat(4097)], [1, 6, 'm'.repeat(4096)]]), partitionExists);

    // Assess
    expect(answer.topics[0]!.partitions.map((p) => p.errorCode)).toEqual([ErrorCode.OFFSET_METADATA_TOO_LARGE, ErrorCode.NONE]);
    expect((await storage.loadOffsets()).map((o) => o.partition)).toEqual([1]);
  });

  it('fetches every committed partition of the group when topics is null', async () => {
    // Prepare
    const { groups } = setup();
    await groups.commitOffsets(commit({}, [[2, 9, null], [0, 3, null]]), partitionExists);
    await groups.commitOffsets({ ...commit({}, []), topics: [{ name: 'a', partitions: [{ partitionIndex: 0, committedOffset: 1, commitTimestamp: 5, committedMetadata: null }] }] }, () => true);

    // Act
    const all = groups.fetchOffsets('g', null);

    // Assess
    expect(all.topics.map((topic) => [topic.name, topic.partitions.map((partition) => [partition.partitionIndex, partition.committedOffset])])).toEqual([
      ['a', [[0, 1]]],
      ['t', [[0, 3], [2, 9]]],
    ]);
  });

  it('accepts generation -1 commits for an unknown or Empty group and lists that group as Empty', async () => {
    // Prepare
    const { groups } = setup();

    // Act
    const answer = await groups.commitOffsets(commit({}, [[0, 5, null]]), partitionExists);

    // Assess
    expect(answer.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.NONE);
    expect(groups.listGroups()).toEqual([{ groupId: 'g', protocolType: '' }]);
    expect(groups.describeGroup('g')).toMatchObject({ state: 'Empty', members: [] });
  });

  it('refuses commits by non-members, stale generations, during CompletingRebalance, and to unknown partitions', async () => {
    // Prepare
    const { clock, groups } = setup();
    const member = await stableMember(groups, clock);

    // Act
    const admin = await groups.commitOffsets(commit({}, [[0, 1, null]]), partitionExists);
    const stranger = await groups.commitOffsets(commit({ generationId: member.generationId, memberId: 'ghost' }, [[0, 1, null]]), partitionExists);
    const stale = await groups.commitOffsets(commit({ generationId: member.generationId - 1, memberId: member.memberId }, [[0, 1, null]]), partitionExists);
    const unknownPartition = await groups.commitOffsets(commit({ generationId: member.generationId, memberId: member.memberId }, [[0, 1, null], [3, 1, null]]), partitionExists);
    const rejoined = await groups.joinGroup({
      groupId: 'g', sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000, memberId: member.memberId, groupInstanceId: null,
      protocolType: 'consumer', protocols: [{ name: 'roundrobin', metadata: Buffer.alloc(0) }], clientId: 'c', clientHost: '/127.0.0.1', requireKnownMemberId: false,
    });
    const completing = await groups.commitOffsets(commit({ generationId: rejoined.generationId, memberId: member.memberId }, [[0, 2, null]]), partitionExists);
    const emptyGroupId = await groups.commitOffsets(commit({ groupId: '' }, [[0, 1, null]]), partitionExists);

    // Assess
    const codes = (answer: Awaited<ReturnType<GroupCoordinator['commitOffsets']>>) => answer.topics[0]!.partitions.map((partition) => partition.errorCode);
    expect(codes(admin)).toEqual([ErrorCode.UNKNOWN_MEMBER_ID]);
    expect(codes(stranger)).toEqual([ErrorCode.UNKNOWN_MEMBER_ID]);
    expect(codes(stale)).toEqual([ErrorCode.ILLEGAL_GENERATION]);
    expect(codes(unknownPartition)).toEqual([ErrorCode.NONE, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]);
    expect(codes(completing)).toEqual([ErrorCode.REBALANCE_IN_PROGRESS]);
    expect(codes(emptyGroupId)).toEqual([ErrorCode.INVALID_GROUP_ID]);
    expect(groups.fetchOffsets('g', [{ name: 't', partitionIndexes: [0] }]).topics[0]!.partitions[0]!.committedOffset).toBe(1);
  });

  it('rejects an empty group id on fetch and answers a storage failure with UNKNOWN_SERVER_ERROR', async () => {
    // Prepare
    const storage = new MemoryStorage();
    storage.commitOffsets = async () => {
      throw new Error('disk full');
    };
    const { groups } = setup(storage);

    // Act
    const fetched = groups.fetchOffsets('', [{ name: 't', partitionIndexes: [0] }]);
    const failed = await groups.commitOffsets(commit({}, [[0, 1, null]]), partitionExists);

    // Assess
    expect(fetched.errorCode).toBe(ErrorCode.INVALID_GROUP_ID);
    expect(fetched.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.INVALID_GROUP_ID);
    expect(failed.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.UNKNOWN_SERVER_ERROR);
    expect(groups.fetchOffsets('g', null).topics).toEqual([]);
    expect(groups.listGroups()).toEqual([]);
  });

  it('loads committed offsets at start: their groups come back Empty with the offsets', async () => {
    // Prepare
    const storage = new MemoryStorage();
    await storage.commitOffsets([{ groupId: 'restored', topic: 't', partition: 1, offset: 99, metadata: 'm', commitTimestamp: 5 }]);
    const { groups } = setup(storage);

    // Act
    await groups.load();

    // Assess
    expect(groups.listGroups()).toEqual([{ groupId: 'restored', protocolType: '' }]);
    expect(groups.describeGroup('restored').state).toBe('Empty');
    expect(groups.fetchOffsets('restored', null).topics).toEqual([
      { name: 't', partitions: [{ partitionIndex: 1, committedOffset: 99, metadata: 'm', errorCode: ErrorCode.NONE }] },
    ]);
  });

  it('forgets the offsets of a deleted topic', async () => {
    // Prepare
    const { groups } = setup();
    await groups.commitOffsets(commit({}, [[0, 5, null]]), partitionExists);

    // Act
    groups.forgetTopic('t');

    // Assess
    expect(groups.fetchOffsets('g', null).topics).toEqual([]);
    expect(groups.listGroups()).toEqual([]);
  });
});
