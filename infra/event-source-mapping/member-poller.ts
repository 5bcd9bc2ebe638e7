import type { KafkaRecordInput } from '../../functions/shared/kafka/index.js';
import { Batcher, type BatcherOptions } from './batcher.js';
import type { DeliveryOutcome } from './batch-delivery.js';
import type { CommitOffset } from './batch-progress.js';
import { isRebalanceCommitFailure } from './commit-failure.js';
import type { MappingLogger } from './logger.js';

/** A fetched record; `filtered` ones are committed with their batch but never sent to the function. */
export type PolledRecord = KafkaRecordInput & { readonly filtered: boolean };

export type { CommitOffset };

export interface MemberPollerOptions {
  batcher: BatcherOptions;
  /**
   * Sends the deliverable records of one batch to the function, with retries. `isCurrent` turns
   * false when the batch must be abandoned (the member stopped or its partitions were reassigned);
   * `checkpoint` commits what is done while the rest is retried (after the commits before it).
   */
  deliver(records: readonly KafkaRecordInput[], isCurrent: () => boolean, checkpoint: (offsets: readonly CommitOffset[]) => void): Promise<DeliveryOutcome>;
  /** Commits offsets for the member's group; rejects when the group moved on (a rebalance). */
  commit(offsets: readonly CommitOffset[]): Promise<void>;
  /**
   * The member must start over from the committed offsets (kafkajs has already fetched past what
   * was dropped): called after a commit that failed for another reason than a rebalance, or a
   * failed on-failure write; the owner restarts the consumer.
   */
  restart(reason: string, error: unknown): void;
  /** Keeps the member in its group while eachBatch is held up by backpressure. */
  heartbeat(): Promise<void>;
  logger: MappingLogger;
  functionName: string;
  /** Released batches that may wait behind the one being invoked before fetching pauses. Default 2. */
  maxQueuedBatches?: number;
}

/** A commit sent and not yet answered, with the epoch of the batch it covers. */
interface InFlightCommit {
  readonly outcome: Promise<{ error: unknown } | null>;
  readonly epoch: number;
}

/** How often backpressure waits heartbeat (ms). */
const heartbeatEveryMs = 1000;

/**
 * One poller (group member): records from any of its partitions go into one batcher, so a batch
 * can hold several partitions (keyed "<topic>-<partition>" in the event) and fills across fetches
 * until batchSize, the payload limit or the batching window releases it. Released batches are
 * invoked strictly one after another (per-partition order holds), and a batch's offsets are
 * committed only after it was invoked successfully (or routed to the on-failure destination); that
 * commit runs while the next batch is invoked, and commits are sent one at a time, in order.
 *
 * Invariants: records are handed over in offset order per partition; a record is "resolved" to
 * kafkajs (so the next fetch moves past it) only once it is in the batcher, never committed before
 * its batch is done. `reset()` (a rebalance, a crash) drops everything not yet invoked: kafkajs
 * then fetches from the committed offsets again, so nothing is skipped — at worst redelivered.
 * A commit the group refuses because of a rebalance is dropped the same way (kafkajs rejoins on its
 * next heartbeat and fetches from the committed offsets); only other commit failures restart.
 */
export class MemberPoller {
  private readonly batcher: Batcher;
  private queue: PolledRecord[][] = [];
  private draining: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private epoch = 0;
  private closed = false;
  private spaceWaiters: Array<() => void> = [];
  private readonly maxQueued: number;

  constructor(private readonly options: MemberPollerOptions) {
    this.batcher = new Batcher(options.batcher);
    this.maxQueued = options.maxQueuedBatches ?? 2;
  }

  /**
   * Takes one fetched record: waits while maxQueuedBatches are already waiting (heartbeating),
   * adds it to the batch and releases full batches. Returns false when the record was not taken
   * (the member is closing or `stillValid` turned false); the caller must then stop resolving.
   */
  async accept(record: PolledRecord, stillValid: () => boolean): Promise<boolean> {
    while (this.queue.length >= this.maxQueued) {
      if (this.closed || !stillValid()) return false;
      await this.waitForSpace();
      if (!this.closed && stillValid()) await this.options.heartbeat().catch(() => undefined);
    }
    if (this.closed || !stillValid()) return false;
    for (const released of this.batcher.add(record) as PolledRecord[][]) this.enqueue(released);
    this.armWindow();
    return true;
  }

  /**
   * Takes one fetched record without waiting: false (and nothing taken) when batches are already
   * queued to the limit or the member is closing; the caller then awaits `accept`. Saves a promise
   * per record on the common path.
   */
  tryAccept(record: PolledRecord): boolean {
    if (this.closed || this.queue.length >= this.maxQueued) return false;
    for (const released of this.batcher.add(record) as PolledRecord[][]) this.enqueue(released);
    this.armWindow();
    return true;
  }

  /** Drops pending and queued batches (not the one being invoked); bumps the epoch so its commit is skipped. */
  reset(): void {
    this.epoch += 1;
    this.batcher.flush();
    this.queue = [];
    this.clearWindow();
    this.wakeSpaceWaiters();
  }

  /** Stops taking records, lets an invoke in flight finish (and commit), drops the rest. */
  async close(): Promise<void> {
    this.closed = true;
    this.clearWindow();
    this.batcher.flush();
    this.queue.splice(1);
    this.wakeSpaceWaiters();
    await this.draining;
  }

  private enqueue(records: PolledRecord[]): void {
    if (records.length === 0) return;
    this.queue.push(records);
    this.kick();
  }

  /** Starts the drain loop unless it runs; a batch queued as it finished starts it again. */
  private kick(): void {
    this.draining ??= this.drain().finally(() => {
      this.draining = null;
      if (this.queue.length > 0 && !this.closed) this.kick();
    });
  }

  /**
   * Invokes queued batches one after another. A batch's commit is sent once it succeeded and runs
   * while the next batch is invoked; the next commit is sent only after it succeeded, so commits
   * stay in order and each covers only batches that succeeded. A commit refused by a rebalance drops
   * what the member holds (redelivered after the rejoin); any other failed commit restarts the
   * member from the committed offsets (what was invoked since is redelivered; storage is idempotent).
   */
  private async drain(): Promise<void> {
    let committing: InFlightCommit | null = null;
    while (this.queue.length > 0) {
      const records = this.queue[0]!;
      const epoch = this.epoch;
      const isCurrent = () => !this.closed && this.epoch === epoch;
      // Progress inside the batch is committed after the commits before it (a chain, still one at a time).
      const checkpoint = (offsets: readonly CommitOffset[]) => {
        if (this.epoch === epoch) committing = this.chainCommit(committing, offsets, epoch);
      };
      const deliverable = records.filter((record) => !record.filtered);
      let outcome: DeliveryOutcome | 'all-filtered';
      try {
        outcome = deliverable.length === 0 ? 'all-filtered' : await this.options.deliver(deliverable, isCurrent, checkpoint);
      } catch (error) {
        // Writing to the on-failure destination failed: nothing may be committed; start over from
        // the committed offsets (the group will fetch these records again).
        if (!(await this.commitSucceeded(committing))) return;
        if (this.epoch === epoch) this.reset();
        this.options.restart('on-failure destination write failed; the batch will be redelivered', error);
        return;
      }
      if (!(await this.commitSucceeded(committing))) return;
      committing = null;
      if (this.epoch !== epoch) continue; // reset meanwhile: the queue is a new one
      if (outcome === 'stopped') {
        this.queue = [];
        return;
      }
      committing = this.startCommit(records, epoch);
      this.queue.shift();
      this.wakeSpaceWaiters();
      if (this.closed) break;
    }
    await this.commitSucceeded(committing);
  }

  /** Sends the commit past `records`; the returned promise never rejects (it resolves to the failure). */
  private startCommit(records: readonly PolledRecord[], epoch: number): InFlightCommit {
    const outcome = this.options.commit(nextOffsets(records)).then(
      () => null,
      (error: unknown) => ({ error }),
    );
    return { outcome, epoch };
  }

  /** Commits `offsets` once `previous` succeeded (its failure is passed on and nothing more is sent). */
  private chainCommit(previous: InFlightCommit | null, offsets: readonly CommitOffset[], epoch: number): InFlightCommit {
    const outcome = (previous?.outcome ?? Promise.resolve(null)).then((failure) =>
      failure !== null
        ? failure
        : this.options.commit(offsets).then(
            () => null,
            (error: unknown) => ({ error }),
          ),
    );
    return { outcome, epoch: previous?.epoch ?? epoch };
  }

  /**
   * Waits for a commit in flight (none: true). On failure, drops what the member holds (when
   * nothing reset it since): true when a rebalance refused the commit (the member carries on; kafkajs
   * rejoins and fetches from the committed offsets), else asks the owner to restart; false.
   */
  private async commitSucceeded(committing: InFlightCommit | null): Promise<boolean> {
    if (committing === null) return true;
    const failure = await committing.outcome;
    if (failure === null) return true;
    if (this.epoch === committing.epoch) this.reset();
    if (isRebalanceCommitFailure(failure.error)) {
      this.options.logger.info('commit refused by a group rebalance; uncommitted records will be redelivered after the rejoin', { functionName: this.options.functionName, error: String(failure.error) });
      return true;
    }
    this.options.restart('commit failed; uncommitted records will be redelivered', failure.error);
    return false;
  }

  private armWindow(): void {
    if (this.timer !== null || this.closed) return;
    const wait = this.batcher.msUntilDue();
    if (wait === null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const due = this.batcher.takeDue() as PolledRecord[] | null;
      if (due !== null) this.enqueue(due);
      this.armWindow();
    }, wait);
  }

  private clearWindow(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private waitForSpace(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, heartbeatEveryMs);
      const waiter = () => done();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.spaceWaiters.push(waiter);
    });
  }

  private wakeSpaceWaiters(): void {
    const waiters = this.spaceWaiters;
    this.spaceWaiters = [];
    for (const wake of waiters) wake();
  }
}

/** Per partition, the offset after the batch's last record. */
function nextOffsets(records: readonly PolledRecord[]): CommitOffset[] {
  const last = new Map<string, CommitOffset>();
  for (const record of records) {
    last.set(`${record.topic}\u0000${record.partition}`, { topic: record.topic, partition: record.partition, offset: String(record.offset + 1) });
  }
  return [...last.values()];
}
