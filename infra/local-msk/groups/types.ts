/**
 * Inputs and results of the group coordinator's operations, independent of any
 * protocol version (the handlers map them onto each version's fields).
 */
import type { ErrorCode } from '../protocol/error-codes.js';

export interface ProtocolMetadata {
  /** Assignor name, e.g. "RoundRobinAssigner". */
  name: string;
  /** Opaque to the broker (the consumer protocol's subscription). */
  metadata: Buffer;
}

export interface JoinGroupInput {
  groupId: string;
  sessionTimeoutMs: number;
  /** How long a rebalance waits for members to rejoin (v0: the session timeout). */
  rebalanceTimeoutMs: number;
  /** "" for a member joining for the first time. */
  memberId: string;
  /** Static membership id (v5); accepted and reported, membership stays dynamic. */
  groupInstanceId: string | null;
  protocolType: string;
  protocols: ProtocolMetadata[];
  clientId: string;
  clientHost: string;
  /** v4+: a first join (empty member id) is answered MEMBER_ID_REQUIRED with a new id. */
  requireKnownMemberId: boolean;
}

export interface JoinGroupMemberInfo {
  memberId: string;
  groupInstanceId: string | null;
  metadata: Buffer;
}

export interface JoinGroupResult {
  errorCode: ErrorCode;
  generationId: number;
  /** Chosen protocol ("" on error). */
  protocolName: string;
  leaderId: string;
  memberId: string;
  /** Every member with its metadata for the chosen protocol; only the leader gets it, others get []. */
  members: JoinGroupMemberInfo[];
}

export interface SyncGroupInput {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  /** The leader's assignment per member; empty from followers. */
  assignments: { memberId: string; assignment: Buffer }[];
}

export interface SyncGroupResult {
  errorCode: ErrorCode;
  assignment: Buffer;
}

export interface HeartbeatInput {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
}

export interface LeavingMember {
  memberId: string;
  groupInstanceId: string | null;
}

export interface LeaveGroupResult {
  /** Group-level error; NONE when per-member errors tell the story. */
  errorCode: ErrorCode;
  members: (LeavingMember & { errorCode: ErrorCode })[];
}

export interface OffsetCommitInput {
  groupId: string;
  /** -1 for commits from outside group management (simple consumers, admin tools). */
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  topics: { name: string; partitions: OffsetCommitPartition[] }[];
}

export interface OffsetCommitPartition {
  partitionIndex: number;
  committedOffset: number;
  /** Commit time given by the client (v1), or -1 to use the broker's clock (ms). */
  commitTimestamp: number;
  committedMetadata: string | null;
}

export interface OffsetCommitResult {
  topics: { name: string; partitions: { partitionIndex: number; errorCode: ErrorCode }[] }[];
}

export interface OffsetFetchResult {
  errorCode: ErrorCode;
  topics: {
    name: string;
    partitions: { partitionIndex: number; committedOffset: number; metadata: string; errorCode: ErrorCode }[];
  }[];
}

export interface GroupMemberDescription {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  /** Metadata for the group's protocol (empty unless the group is Stable). */
  memberMetadata: Buffer;
  /** Assignment (empty unless the group is Stable). */
  memberAssignment: Buffer;
}

export interface GroupDescription {
  errorCode: ErrorCode;
  groupId: string;
  state: string;
  protocolType: string;
  /** The chosen protocol when Stable, "" otherwise (as Kafka reports it). */
  protocol: string;
  members: GroupMemberDescription[];
}

export interface GroupListing {
  groupId: string;
  protocolType: string;
}
