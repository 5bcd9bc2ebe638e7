import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { Group } from './group.js';
import { GroupMember } from './member.js';
import { newMemberId } from './member-id.js';
import type {
  HeartbeatInput,
  JoinGroupInput,
  JoinGroupResult,
  LeaveGroupResult,
  LeavingMember,
  SyncGroupInput,
  SyncGroupResult,
} from './types.js';

export interface MembershipOptions {
  /** Wait before the first rebalance of an Empty group, extended while new members keep arriving (ms). */
  initialRebalanceDelayMs: number;
}

/** Largest delay a Node timer accepts; longer ones would fire at once (ms). */
const maxTimerDelayMs = 2 ** 31 - 1;

function timerDelay(ms: number): number {
  return Math.min(Math.max(0, ms), maxTimerDelayMs);
}

export function joinError(errorCode: ErrorCode, memberId: string): JoinGroupResult {
  return { errorCode, generationId: -1, protocolName: '', leaderId: '', memberId, members: [] };
}

function syncError(errorCode: ErrorCode): SyncGroupResult {
  return { errorCode, assignment: Buffer.alloc(0) };
}

/**
 * The classic group membership protocol (JoinGroup / SyncGroup / Heartbeat / LeaveGroup)
 * as a state machine over one Group, with every timer on the injected Clock:
 * - a join timer ends PreparingRebalance (initial delay for an Empty group, else the
 *   longest rebalance timeout) unless every member rejoins first;
 * - one session timer per member removes it after `sessionTimeoutMs` of silence
 *   (a member whose JoinGroup or SyncGroup is waiting is kept alive; answering it rearms the timer);
 * - one timer per handed-out member id (MEMBER_ID_REQUIRED) forgets it after the session timeout.
 * Waiting JoinGroup/SyncGroup requests are promises resolved when their phase completes.
 */
export class GroupMembership {
  constructor(
    private readonly options: MembershipOptions,
    private readonly clock: Clock,
    private readonly logger: Logger,
    /** Called whenever the group may have become removable (Empty, no members, nothing pending). */
    private readonly maybeForget: (group: Group) => void,
  ) {}

  join(group: Group, input: JoinGroupInput): Promise<JoinGroupResult> | JoinGroupResult {
    if (!group.supportsProtocols(input.protocolType, input.protocols)) {
      return joinError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, input.memberId);
    }
    if (input.memberId === '') {
      const memberId = newMemberId(input.clientId);
      if (input.requireKnownMemberId) {
        this.addPendingMember(group, memberId, input.sessionTimeoutMs);
        return joinError(ErrorCode.MEMBER_ID_REQUIRED, memberId);
      }
      return this.addMemberAndRebalance(group, memberId, input);
    }
    const pendingTimer = group.pendingMembers.get(input.memberId);
    if (pendingTimer !== undefined) {
      this.clock.clearTimeout(pendingTimer);
      group.pendingMembers.delete(input.memberId);
      return this.addMemberAndRebalance(group, input.memberId, input);
    }
    const member = group.members.get(input.memberId);
    if (!member) return joinError(ErrorCode.UNKNOWN_MEMBER_ID, input.memberId);
    switch (group.state) {
      case 'PreparingRebalance':
        return this.updateMemberAndRebalance(group, member, input);
      case 'CompletingRebalance':
        // The member missed our answer; repeat it unless its subscription changed.
        if (member.matches(input.protocols)) return this.currentGeneration(group, member);
        return this.updateMemberAndRebalance(group, member, input);
      case 'Stable':
        // A leader rejoining may have seen new topics/partitions: always rebalance for it.
        if (group.isLeader(member.memberId) || !member.matches(input.protocols)) {
          return this.updateMemberAndRebalance(group, member, input);
        }
        return this.currentGeneration(group, member);
      default:
        return joinError(ErrorCode.UNKNOWN_MEMBER_ID, input.memberId);
    }
  }

  sync(group: Group, input: SyncGroupInput): Promise<SyncGroupResult> | SyncGroupResult {
    const member = group.members.get(input.memberId);
    if (!member) return syncError(ErrorCode.UNKNOWN_MEMBER_ID);
    if (input.generationId !== group.generationId) return syncError(ErrorCode.ILLEGAL_GENERATION);
    switch (group.state) {
      case 'PreparingRebalance':
        return syncError(ErrorCode.REBALANCE_IN_PROGRESS);
      case 'Stable':
        this.scheduleSessionExpiry(group, member);
        return { errorCode: ErrorCode.NONE, assignment: member.assignment };
      case 'CompletingRebalance': {
        member.completeSync(syncError(ErrorCode.REBALANCE_IN_PROGRESS)); // a duplicate SyncGroup replaces the older one
        const reply = new Promise<SyncGroupResult>((resolve) => (member.awaitingSync = resolve));
        if (group.isLeader(member.memberId)) this.completeSync(group, input.assignments);
        return reply;
      }
      default:
        return syncError(ErrorCode.UNKNOWN_MEMBER_ID);
    }
  }

  heartbeat(group: Group, input: HeartbeatInput): ErrorCode {
    const member = group.members.get(input.memberId);
    if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (input.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    this.scheduleSessionExpiry(group, member);
    // During PreparingRebalance the answer tells the member to rejoin.
    return group.is('PreparingRebalance') ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE;
  }

  leave(group: Group, leaving: readonly LeavingMember[]): LeaveGroupResult['members'] {
    let changed = false;
    const results = leaving.map((entry) => {
      const pendingTimer = group.pendingMembers.get(entry.memberId);
      if (pendingTimer !== undefined) {
        this.clock.clearTimeout(pendingTimer);
        group.pendingMembers.delete(entry.memberId);
        changed = true;
        return { ...entry, errorCode: ErrorCode.NONE };
      }
      const member = group.members.get(entry.memberId);
      if (!member) return { ...entry, errorCode: ErrorCode.UNKNOWN_MEMBER_ID };
      this.removeMember(group, member, 'left the group');
      changed = true;
      return { ...entry, errorCode: ErrorCode.NONE };
    });
    if (changed) this.onMembershipChanged(group, 'member left');
    return results;
  }

  /** Activity that proves the member alive (an OffsetCommit) rearms its session timer. */
  touch(group: Group, member: GroupMember): void {
    this.scheduleSessionExpiry(group, member);
  }

  /** Clears every timer of the group and answers its waiting requests (broker shutdown). */
  shutdown(group: Group): void {
    if (group.joinTimer !== null) this.clock.clearTimeout(group.joinTimer);
    group.joinTimer = null;
    for (const timer of group.pendingMembers.values()) this.clock.clearTimeout(timer);
    group.pendingMembers.clear();
    for (const member of group.members.values()) {
      if (member.sessionTimer !== null) this.clock.clearTimeout(member.sessionTimer);
      member.sessionTimer = null;
      member.completeJoin(joinError(ErrorCode.NOT_COORDINATOR, member.memberId));
      member.completeSync(syncError(ErrorCode.NOT_COORDINATOR));
    }
  }

  private addPendingMember(group: Group, memberId: string, sessionTimeoutMs: number): void {
    const timer = this.clock.setTimeout(this.guarded(group, () => {
      if (group.pendingMembers.get(memberId) !== timer) return;
      group.pendingMembers.delete(memberId);
      this.onMembershipChanged(group, 'handed-out member id expired');
    }), timerDelay(sessionTimeoutMs));
    group.pendingMembers.set(memberId, timer);
  }

  private addMemberAndRebalance(group: Group, memberId: string, input: JoinGroupInput): Promise<JoinGroupResult> {
    const member = new GroupMember(
      memberId,
      input.groupInstanceId,
      input.clientId,
      input.clientHost,
      input.sessionTimeoutMs,
      input.rebalanceTimeoutMs,
      input.protocolType,
      input.protocols,
    );
    const reply = new Promise<JoinGroupResult>((resolve) => (member.awaitingJoin = resolve));
    group.add(member);
    if (group.is('PreparingRebalance') && group.inInitialDelay) group.newMemberAdded = true;
    this.scheduleSessionExpiry(group, member);
    this.rebalance(group, `member ${memberId} joined`);
    return reply;
  }

  private updateMemberAndRebalance(group: Group, member: GroupMember, input: JoinGroupInput): Promise<JoinGroupResult> {
    member.completeJoin(joinError(ErrorCode.REBALANCE_IN_PROGRESS, member.memberId)); // a duplicate JoinGroup replaces the older one
    member.groupInstanceId = input.groupInstanceId;
    member.clientId = input.clientId;
    member.clientHost = input.clientHost;
    member.sessionTimeoutMs = input.sessionTimeoutMs;
    member.rebalanceTimeoutMs = input.rebalanceTimeoutMs;
    member.protocols = input.protocols;
    const reply = new Promise<JoinGroupResult>((resolve) => (member.awaitingJoin = resolve));
    this.scheduleSessionExpiry(group, member);
    this.rebalance(group, `member ${member.memberId} rejoined`);
    return reply;
  }

  private currentGeneration(group: Group, member: GroupMember): JoinGroupResult {
    this.scheduleSessionExpiry(group, member);
    return {
      errorCode: ErrorCode.NONE,
      generationId: group.generationId,
      protocolName: group.protocolName ?? '',
      leaderId: group.leaderId ?? '',
      memberId: member.memberId,
      members: group.isLeader(member.memberId) ? group.memberInfos() : [],
    };
  }

  /** Starts a rebalance if the group is not already preparing one, then checks whether it can end. */
  private rebalance(group: Group, reason: string): void {
    if (group.is('Stable') || group.is('CompletingRebalance') || group.is('Empty')) this.prepareRebalance(group, reason);
    this.tryCompleteJoin(group);
  }

  private prepareRebalance(group: Group, reason: string): void {
    if (group.is('CompletingRebalance')) this.resetAssignments(group, ErrorCode.REBALANCE_IN_PROGRESS);
    const initial = group.is('Empty');
    group.transitionTo('PreparingRebalance');
    this.clearJoinTimer(group);
    const rebalanceTimeoutMs = group.maxRebalanceTimeoutMs();
    if (initial) {
      group.inInitialDelay = true;
      group.newMemberAdded = false;
      const delayMs = Math.min(this.options.initialRebalanceDelayMs, rebalanceTimeoutMs);
      this.scheduleInitialDelay(group, delayMs, rebalanceTimeoutMs - delayMs);
    } else {
      group.joinTimer = this.clock.setTimeout(this.guarded(group, () => {
        group.joinTimer = null;
        this.completeJoin(group);
      }), timerDelay(rebalanceTimeoutMs));
    }
    this.logger.info('preparing rebalance', { group: group.groupId, generation: group.generationId, reason });
  }

  /**
   * The first rebalance of an Empty group waits `initialRebalanceDelayMs` so members starting
   * together land in one generation; while new members keep arriving the wait is extended by
   * the same delay, never beyond the rebalance timeout in total.
   */
  private scheduleInitialDelay(group: Group, delayMs: number, remainingMs: number): void {
    group.joinTimer = this.clock.setTimeout(this.guarded(group, () => {
      group.joinTimer = null;
      if (group.newMemberAdded && remainingMs > 0) {
        group.newMemberAdded = false;
        const nextDelayMs = Math.min(this.options.initialRebalanceDelayMs, remainingMs);
        this.scheduleInitialDelay(group, nextDelayMs, remainingMs - nextDelayMs);
        return;
      }
      group.inInitialDelay = false;
      this.completeJoin(group);
    }), timerDelay(delayMs));
  }

  private tryCompleteJoin(group: Group): void {
    if (group.is('PreparingRebalance') && !group.inInitialDelay && group.allMembersJoined()) this.completeJoin(group);
  }

  /** Ends PreparingRebalance: drops members that did not rejoin, starts the next generation, answers the joins. */
  private completeJoin(group: Group): void {
    if (!group.is('PreparingRebalance')) return;
    this.clearJoinTimer(group);
    group.inInitialDelay = false;
    for (const member of [...group.members.values()]) {
      if (!member.awaitingJoin) this.removeMember(group, member, 'did not rejoin within the rebalance timeout');
    }
    group.generationId += 1;
    if (group.members.size === 0) {
      group.protocolName = null;
      group.transitionTo('Empty');
      this.logger.info('group is empty', { group: group.groupId, generation: group.generationId });
      this.maybeForget(group);
      return;
    }
    group.protocolName = group.selectProtocol();
    group.transitionTo('CompletingRebalance');
    const leaderId = group.leaderId!;
    const leaderView = group.memberInfos();
    this.logger.info('rebalance completed', {
      group: group.groupId,
      generation: group.generationId,
      members: group.members.size,
      protocol: group.protocolName,
    });
    for (const member of group.members.values()) {
      member.completeJoin({
        errorCode: ErrorCode.NONE,
        generationId: group.generationId,
        protocolName: group.protocolName,
        leaderId,
        memberId: member.memberId,
        members: member.memberId === leaderId ? leaderView : [],
      });
      this.scheduleSessionExpiry(group, member);
    }
  }

  /** The leader's SyncGroup: store every member's assignment, become Stable, answer waiting syncs. */
  private completeSync(group: Group, assignments: SyncGroupInput['assignments']): void {
    const byMember = new Map(assignments.map((entry) => [entry.memberId, entry.assignment]));
    for (const member of group.members.values()) member.assignment = byMember.get(member.memberId) ?? Buffer.alloc(0);
    group.transitionTo('Stable');
    this.logger.info('group is stable', { group: group.groupId, generation: group.generationId });
    for (const member of group.members.values()) {
      if (!member.awaitingSync) continue;
      member.completeSync({ errorCode: ErrorCode.NONE, assignment: member.assignment });
      this.scheduleSessionExpiry(group, member);
    }
  }

  private resetAssignments(group: Group, errorCode: ErrorCode): void {
    for (const member of group.members.values()) {
      member.assignment = Buffer.alloc(0);
      if (!member.awaitingSync) continue;
      member.completeSync(syncError(errorCode));
      this.scheduleSessionExpiry(group, member);
    }
  }

  /** Removes a member and answers whatever it still waits for; the caller decides about rebalancing. */
  private removeMember(group: Group, member: GroupMember, reason: string): void {
    group.remove(member.memberId);
    if (member.sessionTimer !== null) this.clock.clearTimeout(member.sessionTimer);
    member.sessionTimer = null;
    member.completeJoin(joinError(ErrorCode.UNKNOWN_MEMBER_ID, member.memberId));
    member.completeSync(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    this.logger.info('member removed', { group: group.groupId, member: member.memberId, reason });
  }

  private onMembershipChanged(group: Group, reason: string): void {
    if (group.is('Stable') || group.is('CompletingRebalance')) this.prepareRebalance(group, reason);
    this.tryCompleteJoin(group);
    this.maybeForget(group);
  }

  private scheduleSessionExpiry(group: Group, member: GroupMember): void {
    if (member.sessionTimer !== null) this.clock.clearTimeout(member.sessionTimer);
    member.sessionTimer = this.clock.setTimeout(this.guarded(group, () => {
      member.sessionTimer = null;
      if (group.members.get(member.memberId) !== member) return;
      // A member waiting on us is alive; answering it rearms this timer.
      if (member.awaitingJoin || member.awaitingSync) return;
      this.removeMember(group, member, 'session timeout');
      this.onMembershipChanged(group, `member ${member.memberId} session timed out`);
    }), timerDelay(member.sessionTimeoutMs));
  }

  /**
   * A timer callback that cannot take the broker down: a failure there is a coordinator bug,
   * logged once; the group's clients then see it through their own timeouts.
   */
  private guarded(group: Group, callback: () => void): () => void {
    return () => {
      try {
        callback();
      } catch (error) {
        this.logger.error('group timer failed', { group: group.groupId, state: group.state, error: (error as Error).message });
      }
    };
  }

  private clearJoinTimer(group: Group): void {
    if (group.joinTimer !== null) this.clock.clearTimeout(group.joinTimer);
    group.joinTimer = null;
  }
}
