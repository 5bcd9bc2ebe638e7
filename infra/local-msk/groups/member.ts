import type { ClockTimer } from '../clock.js';
import type { JoinGroupResult, ProtocolMetadata, SyncGroupResult } from './types.js';

/** One member of a classic-protocol group, as the coordinator tracks it. */
export class GroupMember {
  /** Set while the member's JoinGroup waits for the rebalance to complete; called exactly once. */
  awaitingJoin: ((result: JoinGroupResult) => void) | null = null;
  /** Set while the member's SyncGroup waits for the leader's assignment; called exactly once. */
  awaitingSync: ((result: SyncGroupResult) => void) | null = null;
  /** Fires when the member has been silent for `sessionTimeoutMs`. */
  sessionTimer: ClockTimer | null = null;
  /** Assignment from the leader for the current generation (empty until SyncGroup completes). */
  assignment: Buffer = Buffer.alloc(0);

  constructor(
    readonly memberId: string,
    public groupInstanceId: string | null,
    public clientId: string,
    public clientHost: string,
    /** No heartbeat, join, sync or commit for this long (ms) removes the member. */
    public sessionTimeoutMs: number,
    /** How long a rebalance waits for this member to rejoin (ms). */
    public rebalanceTimeoutMs: number,
    public protocolType: string,
    public protocols: ProtocolMetadata[],
  ) {}

  /** The member's metadata for `protocolName`; members only exist with a protocol the group chose. */
  metadataFor(protocolName: string): Buffer {
    return this.protocols.find((protocol) => protocol.name === protocolName)?.metadata ?? Buffer.alloc(0);
  }

  /** True when the member offers exactly these protocols with the same metadata, in the same order. */
  matches(protocols: readonly ProtocolMetadata[]): boolean {
    return (
      protocols.length === this.protocols.length &&
      protocols.every((protocol, index) => {
        const mine = this.protocols[index]!;
        return mine.name === protocol.name && mine.metadata.equals(protocol.metadata);
      })
    );
  }

  /** Answers a waiting JoinGroup, if any. */
  completeJoin(result: JoinGroupResult): void {
    const reply = this.awaitingJoin;
    this.awaitingJoin = null;
    reply?.(result);
  }

  /** Answers a waiting SyncGroup, if any. */
  completeSync(result: SyncGroupResult): void {
    const reply = this.awaitingSync;
    this.awaitingSync = null;
    reply?.(result);
  }
}
