/**
 * The single writer of one partition: takes batches in offset order, writes them with
 * positional writev() calls (many queued batches per call), and implements the flush
 * policy per durability level:
 *
 *   'memory' - the append promise resolved when queued; the write still happens in order;
 *   'write'  - resolved when the write() holding the batch has returned (in the OS page
 *              cache: survives kill -9 of the broker, not a power cut);
 *   'fsync'  - resolved once the batch is on stable storage: either written through the
 *              segment's O_DSYNC handle (the write returns only when its data is durable, as
 *              write + fdatasync would, in one system call and one thread-pool round trip),
 *              or written plainly and then covered by an fdatasync() that started after the
 *              write. The O_DSYNC path is taken only when every earlier plain write to the
 *              segment is already synced, so a durable batch never follows unsynced bytes.
 *              Group commit: one write carries every batch queued meanwhile (across
 *              requests), and appends arriving during a write or sync go out together next.
 *
 * Queued batches stay visible to readers (`unwrittenContaining`) until their write
 * completes, at which point the segment's writtenBytes already covers them: at any instant
 * every appended batch is either in the queue or below writtenBytes, never neither.
 * Rolling: when the first batch of a new segment comes up, the previous segment is made
 * durable (fdatasync, index files written atomically) and sealed before the new segment's
 * file is created, so after a crash only the last segment can have a torn tail.
 */
import type { Logger } from '../../logger.js';
import type { Durability } from '../storage.js';
import { fsyncDirectory } from './atomic-file.js';
import type { Segment } from './segment.js';

export interface QueuedBatch {
  segment: Segment;
  /** Position of the batch in the segment's .log file. */
  position: number;
  baseOffset: number;
  lastOffset: number;
  maxTimestamp: number;
  bytes: Buffer;
  durability: Durability;
  resolve: ((baseOffset: number) => void) | null;
  reject: ((error: Error) => void) | null;
}

/** Most buffers per writev (Linux IOV_MAX is 1024) and most bytes per write call. */
const maxBatchesPerWrite = 1024;
const maxBytesPerWrite = 16 * 1024 * 1024;

export class PartitionWriter {
  /** queue[head..] are not written yet; queue[..head) are written and about to be dropped. */
  private queue: QueuedBatch[] = [];
  private head = 0;
  private syncWaiters: QueuedBatch[] = [];
  /** Some plain (not O_DSYNC) write to the current segment is not covered by an fdatasync yet. */
  private unsyncedWrites = false;
  private running: Promise<void> | null = null;
  /** Set after a failed write or sync: the log accepts nothing more. */
  failure: Error | null = null;

  constructor(
    /** The segment writes go to (the active one at open). */
    private current: Segment,
    private readonly directory: string,
    private readonly name: string,
    private readonly logger: Logger,
  ) {}

  /** Queues a batch; its promise settles per its durability. */
  enqueue(batch: QueuedBatch): Promise<number> {
    let settled: Promise<number>;
    if (batch.durability === 'memory') {
      settled = Promise.resolve(batch.baseOffset);
    } else {
      settled = new Promise<number>((resolve, reject) => {
        batch.resolve = resolve;
        batch.reject = reject;
      });
    }
    this.queue.push(batch);
    this.running ??= this.run();
    return settled;
  }

  /** The queued (not yet written) batch containing `offset`, as an index for `unwrittenAt`; -1 if `offset` is below the queue. */
  unwrittenContaining(offset: number): number {
    let low = this.head;
    let high = this.queue.length;
    if (low === high || this.queue[low]!.baseOffset > offset) return -1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.queue[mid]!.lastOffset < offset) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Queued batch at `index` (from `unwrittenContaining`), or undefined past the end. */
  unwrittenAt(index: number): QueuedBatch | undefined {
    return index >= this.head ? this.queue[index] : undefined;
  }

  /** Index of the first queued batch, for walking the queue with `unwrittenAt`. */
  get firstUnwritten(): number {
    return this.head;
  }

  /** Resolves once everything queued so far is written and synced as asked. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Waits for the queue to drain, then makes the current segment durable and releases handles. */
  async close(): Promise<void> {
    await this.idle();
    if (this.failure) return;
    if (this.current.fileCreated) await this.current.use((handle) => handle.datasync());
    if (this.current.index.dirty) await this.current.writeIndexFiles();
  }

  private async run(): Promise<void> {
    try {
      while (this.head < this.queue.length || this.syncWaiters.length > 0) {
        if (this.head < this.queue.length) {
          const next = this.queue[this.head]!;
          if (next.segment !== this.current) await this.switchTo(next.segment);
          if (!next.segment.fileCreated) await this.createFile(next.segment);
          await this.writeQueued();
        }
        if (this.syncWaiters.length > 0) await this.syncCurrent();
      }
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)));
    } finally {
      this.running = null;
    }
  }

  /** Writes the longest run of queued batches bound for the current segment with one writev. */
  private async writeQueued(): Promise<void> {
    const segment = this.current;
    const first = this.queue[this.head]!;
    const buffers: Buffer[] = [];
    let bytes = 0;
    let end = this.head;
    while (end < this.queue.length && buffers.length < maxBatchesPerWrite && bytes < maxBytesPerWrite) {
      const batch = this.queue[end]!;
      if (batch.segment !== segment) break;
      buffers.push(batch.bytes);
      bytes += batch.bytes.length;
      end++;
    }
    let durable = false;
    if (!this.unsyncedWrites) for (let i = this.head; i < end && !durable; i++) durable = this.queue[i]!.durability === 'fsync';
    await segment.use((handle) => writeAll(handle, buffers, bytes, first.position), durable ? 'durable' : 'plain');
    if (!durable) this.unsyncedWrites = true;
    // Synchronously with dropping them from the queue, make readers find them in the file.
    segment.writtenBytes = first.position + bytes;
    for (let i = this.head; i < end; i++) {
      const batch = this.queue[i]!;
      if (batch.durability === 'write' || (durable && batch.durability === 'fsync')) batch.resolve!(batch.baseOffset);
      else if (batch.durability === 'fsync') this.syncWaiters.push(batch);
    }
    this.head = end;
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head >= 4096) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  private async syncCurrent(): Promise<void> {
    const waiters = this.syncWaiters;
    this.syncWaiters = [];
    // The run loop is sequential: every write so far has completed, so this sync covers them all.
    this.unsyncedWrites = false;
    await this.current.use((handle) => handle.datasync());
    for (const batch of waiters) batch.resolve!(batch.baseOffset);
  }

  /** Seals the segment being left (durable data and index files) and moves to `next`. */
  private async switchTo(next: Segment): Promise<void> {
    const previous = this.current;
    if (previous.fileCreated) {
      await previous.use((handle) => handle.datasync());
      await previous.writeIndexFiles();
    }
    const waiters = this.syncWaiters;
    this.syncWaiters = [];
    for (const batch of waiters) batch.resolve!(batch.baseOffset);
    previous.sealed = true;
    this.current = next;
    this.unsyncedWrites = false;
    await previous.closeHandle();
  }

  private async createFile(segment: Segment): Promise<void> {
    await segment.use(async () => undefined);
    await fsyncDirectory(this.directory);
    segment.fileCreated = true;
  }

  private fail(error: Error): void {
    this.failure = error;
    this.logger.error('partition log write failed; the partition accepts no more appends', {
      partition: this.name,
      error: error.message,
    });
    for (const batch of this.syncWaiters) batch.reject?.(error);
    this.syncWaiters = [];
    for (let i = this.head; i < this.queue.length; i++) this.queue[i]!.reject?.(error);
  }
}

/** writev of all `buffers` at `position`, finishing short writes. */
async function writeAll(
  handle: import('node:fs/promises').FileHandle,
  buffers: Buffer[],
  total: number,
  position: number,
): Promise<void> {
  const { bytesWritten } = await handle.writev(buffers, position);
  if (bytesWritten === total) return;
  const rest = Buffer.concat(buffers).subarray(bytesWritten);
  let done = 0;
  while (done < rest.length) {
    const { bytesWritten: written } = await handle.write(rest, done, rest.length - done, position + bytesWritten + done);
    done += written;
  }
}
