import type { ClockTimer } from '../clock.js';
import { canTransition, type GroupState } from './group-state.js';
import type { GroupMember } from './member.js';
import type { GroupDescription, JoinGroupMemberInfo, ProtocolMetadata } from './types.js';
import { ErrorCode } from '../protocol/error-codes.js';

/**
 * A consumer group's membership state (classic protocol). Pure bookkeeping: the
 * coordinator drives transitions and owns the timers stored here.
 *
 * Invariants:
 * - `leaderId` is null exactly when there are no members, else it names a member;
 * - `protocolName` is set exactly in CompletingRebalance and Stable;
 * - `members` keeps join order (the first member becomes leader when one is needed).
 */
export class Group {
  state: GroupState = 'Empty';
  /** Incremented at the end of every rebalance (also one that ends Empty). */
  generationId = 0;
  /** Type of the members' protocols ("consumer"); "" for groups only used to commit offsets. */
  protocolType = '';
  protocolName: string | null = null;
  leaderId: string | null = null;
  readonly members = new Map<string, GroupMember>();
  /** Member ids handed out with MEMBER_ID_REQUIRED, not yet joined; value: expiry timer. */
  readonly pendingMembers = new Map<string, ClockTimer>();
  /** Ends the current PreparingRebalance phase (initial delay or rebalance timeout). */
  joinTimer: ClockTimer | null = null;
  /** The current PreparingRebalance is the initial delay of an Empty group (it only ends on its timer). */
  inInitialDelay = false;
  /** A member joined during the initial rebalance delay (the delay is then extended). */
  newMemberAdded = false;

  constructor(readonly groupId: string) {}

  /** Moves to `to`; an illegal transition is a coordinator bug and throws. */
  transitionTo(to: GroupState): void {
    if (!canTransition(this.state, to)) {
      throw new Error(`group ${this.groupId}: illegal transition ${this.state} -> ${to}`);
    }
    this.state = to;
  }

  is(state: GroupState): boolean {
    return this.state === state;
  }

  add(member: GroupMember): void {
    if (this.members.size === 0) this.protocolType = member.protocolType;
    this.members.set(member.memberId, member);
    this.leaderId ??= member.memberId;
  }

  /** Removes a member; a removed leader is replaced by the earliest remaining member. */
  remove(memberId: string): GroupMember | undefined {
    const member = this.members.get(memberId);
    if (!member) return undefined;
    this.members.delete(memberId);
    if (this.leaderId === memberId) {
      this.leaderId = this.members.keys().next().value ?? null;
    }
    return member;
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId;
  }

  /** Every member has a JoinGroup waiting and no handed-out member id is still expected. */
  allMembersJoined(): boolean {
    for (const member of this.members.values()) if (!member.awaitingJoin) return false;
    return this.pendingMembers.size === 0;
  }

  /** Longest rebalance timeout of the members (ms); how long a rebalance may wait. */
  maxRebalanceTimeoutMs(): number {
    let max = 0;
    for (const member of this.members.values()) max = Math.max(max, member.rebalanceTimeoutMs);
    return max;
  }

  /** Protocol names every member supports. */
  candidateProtocols(): Set<string> {
    const members = [...this.members.values()];
    const first = members[0];
    if (!first) return new Set<string>();
    const names = first.protocols.map((protocol) => protocol.name);
    return new Set(names.filter((name) => members.every((member) => member.protocols.some((protocol) => protocol.name === name))));
  }

  /** Whether a member with this protocol type and these protocols may join. */
  supportsProtocols(protocolType: string, protocols: readonly ProtocolMetadata[]): boolean {
    if (protocolType === '' || protocols.length === 0) return false;
    if (this.members.size === 0) return true;
    if (protocolType !== this.protocolType) return false;
    const candidates = this.candidateProtocols();
    return protocols.some((protocol) => candidates.has(protocol.name));
  }

  /**
   * The protocol for the next generation: among those all members support, each member
   * votes for the first one in its own preference order; most votes wins, ties go to
   * the leader's preference order.
   */
  selectProtocol(): string {
    const candidates = this.candidateProtocols();
    const votes = new Map<string, number>();
    for (const member of this.members.values()) {
      const choice = member.protocols.find((protocol) => candidates.has(protocol.name));
      if (choice) votes.set(choice.name, (votes.get(choice.name) ?? 0) + 1);
    }
    const leader = this.leaderId === null ? undefined : this.members.get(this.leaderId);
    const preference = (leader?.protocols ?? []).map((protocol) => protocol.name).filter((name) => candidates.has(name));
    let best: string | null = null;
    for (const name of preference) {
      if (best === null || (votes.get(name) ?? 0) > (votes.get(best) ?? 0)) best = name;
    }
    if (best === null) throw new Error(`group ${this.groupId}: no protocol supported by every member`);
    return best;
  }

  /** Members with their metadata for the chosen protocol, in join order (the leader's JoinGroup answer). */
  memberInfos(): JoinGroupMemberInfo[] {
    const protocolName = this.protocolName ?? '';
    return [...this.members.values()].map((member) => ({
      memberId: member.memberId,
      groupInstanceId: member.groupInstanceId,
      metadata: member.metadataFor(protocolName),
    }));
  }

  /** DescribeGroups view: metadata and assignments only when Stable, as Kafka reports them. */
  describe(): GroupDescription {
    const stable = this.is('Stable');
    const protocol = stable ? (this.protocolName ?? '') : '';
    return {
      errorCode: ErrorCode.NONE,
      groupId: this.groupId,
      state: this.state,
      protocolType: this.protocolType,
      protocol,
      members: [...this.members.values()].map((member) => ({
        memberId: member.memberId,
        groupInstanceId: member.groupInstanceId,
        clientId: member.clientId,
        clientHost: member.clientHost,
        memberMetadata: stable ? member.metadataFor(protocol) : Buffer.alloc(0),
        memberAssignment: stable ? member.assignment : Buffer.alloc(0),
      })),
    };
  }
}
