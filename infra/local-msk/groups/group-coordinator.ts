import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { CommittedOffset, Storage } from '../storage/storage.js';
import { Group } from './group.js';
import { isValidGroupId } from './group-id.js';
import { GroupMembership, joinError } from './membership.js';
import { OffsetStore } from './offset-store.js';
import type {
  GroupDescription,
  GroupListing,
  HeartbeatInput,
  JoinGroupInput,
  JoinGroupResult,
  LeaveGroupResult,
  LeavingMember,
  OffsetCommitInput,
  OffsetCommitResult,
  OffsetFetchResult,
  SyncGroupInput,
  SyncGroupResult,
} from './types.js';

export interface GroupCoordinatorOptions {
  /** Delay before the first rebalance of an empty group, so members starting together join one generation (ms). */
  initialRebalanceDelayMs: number;
  /** JoinGroup session timeouts outside [min, max] are answered INVALID_SESSION_TIMEOUT (ms). */
  minSessionTimeoutMs: number;
  maxSessionTimeoutMs: number;
}

/** Whether a topic partition exists (OffsetCommit answers UNKNOWN_TOPIC_OR_PARTITION otherwise). */
export type PartitionExists = (topic: string, partition: number) => boolean;

/**
 * The broker's group coordinator (classic consumer-group protocol) for every group id:
 * membership through GroupMembership, committed offsets through OffsetStore.
 *
 * Groups live in memory; only committed offsets are persisted. A group is forgotten
 * (state Dead) once it is Empty with no committed offsets and no member id pending;
 * a group whose last member leaves keeps its offsets and stays listed as Empty.
 */
/** Longest commit metadata accepted, in characters (Kafka's offset.metadata.max.bytes default). */
export const maxOffsetMetadataLength = 4096;

export class GroupCoordinator {
  private readonly groups = new Map<string, Group>();
  private readonly offsets: OffsetStore;
  private readonly membership: GroupMembership;
  private closed = false;

  constructor(
    readonly storage: Storage,
    readonly options: GroupCoordinatorOptions,
    readonly clock: Clock,
    readonly logger: Logger,
  ) {
    this.offsets = new OffsetStore(storage, logger);
    this.membership = new GroupMembership(options, clock, logger, (group) => this.maybeForget(group));
  }

  /** Loads committed offsets; their groups come back as Empty. */
  async load(): Promise<void> {
    await this.offsets.load();
    for (const groupId of this.offsets.groupIds()) {
      if (!this.groups.has(groupId)) this.groups.set(groupId, new Group(groupId));
    }
  }

  /** Clears every timer, answers waiting JoinGroup/SyncGroup with NOT_COORDINATOR, waits for commits in flight. */
  async close(): Promise<void> {
    this.closed = true;
    for (const group of this.groups.values()) this.membership.shutdown(group);
    await this.offsets.flush();
  }

  joinGroup(input: JoinGroupInput): Promise<JoinGroupResult> | JoinGroupResult {
    if (this.closed) return joinError(ErrorCode.COORDINATOR_NOT_AVAILABLE, input.memberId);
    if (!isValidGroupId(input.groupId)) return joinError(ErrorCode.INVALID_GROUP_ID, input.memberId);
    if (input.sessionTimeoutMs < this.options.minSessionTimeoutMs || input.sessionTimeoutMs > this.options.maxSessionTimeoutMs) {
      return joinError(ErrorCode.INVALID_SESSION_TIMEOUT, input.memberId);
    }
    let group = this.groups.get(input.groupId);
    if (!group) {
      if (input.memberId !== '') return joinError(ErrorCode.UNKNOWN_MEMBER_ID, input.memberId);
      group = new Group(input.groupId);
      this.groups.set(input.groupId, group);
    }
    const result = this.membership.join(group, input);
    this.maybeForget(group);
    return result;
  }

  syncGroup(input: SyncGroupInput): Promise<SyncGroupResult> | SyncGroupResult {
    const error = this.groupError(input.groupId);
    if (error !== null) return { errorCode: error, assignment: Buffer.alloc(0) };
    const group = this.groups.get(input.groupId);
    if (!group) return { errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: Buffer.alloc(0) };
    return this.membership.sync(group, input);
  }

  heartbeat(input: HeartbeatInput): ErrorCode {
    const error = this.groupError(input.groupId);
    if (error !== null) return error;
    const group = this.groups.get(input.groupId);
    if (!group) return ErrorCode.UNKNOWN_MEMBER_ID;
    return this.membership.heartbeat(group, input);
  }

  leaveGroup(groupId: string, members: readonly LeavingMember[]): LeaveGroupResult {
    const error = this.groupError(groupId);
    if (error !== null) return { errorCode: error, members: members.map((member) => ({ ...member, errorCode: error })) };
    const group = this.groups.get(groupId);
    if (!group) {
      return { errorCode: ErrorCode.NONE, members: members.map((member) => ({ ...member, errorCode: ErrorCode.UNKNOWN_MEMBER_ID })) };
    }
    return { errorCode: ErrorCode.NONE, members: this.membership.leave(group, members) };
  }

  /**
   * Commits offsets, persisted before this resolves. Accepted from members of the current
   * generation, and with generation -1 (simple consumers, admin tools) while the group is Empty.
   */
  async commitOffsets(input: OffsetCommitInput, partitionExists: PartitionExists): Promise<OffsetCommitResult> {
    let group = this.groups.get(input.groupId);
    const groupErrorCode = this.groupError(input.groupId) ?? this.commitError(group, input);
    if (groupErrorCode === null && !group) {
      group = new Group(input.groupId);
      this.groups.set(input.groupId, group);
    }
    const now = this.clock.now();
    const accepted: CommittedOffset[] = [];
    const result: OffsetCommitResult = {
      topics: input.topics.map((topic) => ({
        name: topic.name,
        partitions: topic.partitions.map((partition) => {
          let errorCode: ErrorCode = groupErrorCode ?? ErrorCode.NONE;
          if (errorCode === ErrorCode.NONE && !partitionExists(topic.name, partition.partitionIndex)) {
            errorCode = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
          }
          if (errorCode === ErrorCode.NONE && (partition.committedMetadata ?? '').length > maxOffsetMetadataLength) {
            errorCode = ErrorCode.OFFSET_METADATA_TOO_LARGE;
          }
          if (errorCode === ErrorCode.NONE) {
            accepted.push({
              groupId: input.groupId,
              topic: topic.name,
              partition: partition.partitionIndex,
              offset: partition.committedOffset,
              metadata: partition.committedMetadata ?? '',
              commitTimestamp: partition.commitTimestamp >= 0 ? partition.commitTimestamp : now,
            });
          }
          return { partitionIndex: partition.partitionIndex, errorCode };
        }),
      })),
    };
    if (accepted.length > 0) {
      try {
        await this.offsets.commit(accepted);
        // The group may have been forgotten while the commit was being persisted.
        if (!this.groups.has(input.groupId)) this.groups.set(input.groupId, new Group(input.groupId));
      } catch (error) {
        this.logger.error('offset commit failed', { group: input.groupId, error: (error as Error).message });
        for (const topic of result.topics) {
          for (const partition of topic.partitions) {
            if (partition.errorCode === ErrorCode.NONE) partition.errorCode = ErrorCode.UNKNOWN_SERVER_ERROR;
          }
        }
      }
    }
    if (group) this.maybeForget(group);
    return result;
  }

  /** Committed offsets of the requested partitions, or of every committed partition when `topics` is null. */
  fetchOffsets(groupId: string, topics: { name: string; partitionIndexes: number[] }[] | null): OffsetFetchResult {
    const error = this.groupError(groupId);
    if (error !== null) {
      return {
        errorCode: error,
        topics: (topics ?? []).map((topic) => ({
          name: topic.name,
          partitions: topic.partitionIndexes.map((partitionIndex) => ({ partitionIndex, committedOffset: -1, metadata: '', errorCode: error })),
        })),
      };
    }
    const requested =
      topics ??
      groupByTopic(this.offsets.forGroup(groupId)).map(([name, offsets]) => ({ name, partitionIndexes: offsets.map((offset) => offset.partition) }));
    return {
      errorCode: ErrorCode.NONE,
      topics: requested.map((topic) => ({
        name: topic.name,
        partitions: topic.partitionIndexes.map((partitionIndex) => {
          const committed = this.offsets.get(groupId, topic.name, partitionIndex);
          return {
            partitionIndex,
            committedOffset: committed?.offset ?? -1,
            metadata: committed?.metadata ?? '',
            errorCode: ErrorCode.NONE,
          };
        }),
      })),
    };
  }

  /** A group unknown to the coordinator is described as Dead with no error, as Kafka does. */
  describeGroup(groupId: string): GroupDescription {
    const error = this.groupError(groupId);
    const group = error === null ? this.groups.get(groupId) : undefined;
    if (group) return group.describe();
    return { errorCode: error ?? ErrorCode.NONE, groupId, state: 'Dead', protocolType: '', protocol: '', members: [] };
  }

  listGroups(): GroupListing[] {
    return [...this.groups.values()].map((group) => ({ groupId: group.groupId, protocolType: group.protocolType }));
  }

  /** Forgets the committed offsets of a deleted topic (TopicManager.delete already removed them from storage). */
  forgetTopic(topic: string): void {
    this.offsets.forgetTopic(topic);
    for (const group of [...this.groups.values()]) this.maybeForget(group);
  }

  /** Errors that apply before looking at the group: shutdown, invalid id (which therefore never gets stored). */
  private groupError(groupId: string): ErrorCode | null {
    if (this.closed) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (!isValidGroupId(groupId)) return ErrorCode.INVALID_GROUP_ID;
    return null;
  }

  /** Why the group refuses this commit, or null when it accepts it (Kafka's order of checks). */
  private commitError(group: Group | undefined, input: OffsetCommitInput): ErrorCode | null {
    if (!group) return input.generationId < 0 ? null : ErrorCode.ILLEGAL_GENERATION;
    if (group.is('Dead')) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (input.generationId < 0 && group.is('Empty')) return null;
    if (group.is('CompletingRebalance')) return ErrorCode.REBALANCE_IN_PROGRESS;
    const member = group.members.get(input.memberId);
    if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (input.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    this.membership.touch(group, member);
    return null;
  }

  /** Forgets a group that holds nothing worth keeping (Empty, no members, none pending, no offsets). */
  private maybeForget(group: Group): void {
    if (this.groups.get(group.groupId) !== group) return;
    if (!group.is('Empty') || group.members.size > 0 || group.pendingMembers.size > 0) return;
    if (this.offsets.hasOffsets(group.groupId)) return;
    group.transitionTo('Dead');
    this.groups.delete(group.groupId);
  }
}

function groupByTopic(offsets: readonly CommittedOffset[]): [string, CommittedOffset[]][] {
  const byTopic = new Map<string, CommittedOffset[]>();
  for (const offset of offsets) {
    const list = byTopic.get(offset.topic);
    if (list) list.push(offset);
    else byTopic.set(offset.topic, [offset]);
  }
  return [...byTopic.entries()];
}
