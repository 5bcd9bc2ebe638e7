/**
 * The single writer of one partition: takes batches in offset order and writes them with
 * positional writev() calls (many queued batches per call) through the segment's O_DSYNC
 * handle, so a write returns only once its data is on stable storage (as write + fdatasync
 * would, in one system call and one thread-pool round trip). Group commit: one write carries
 * every batch queued meanwhile, across requests; appends arriving during a write go out
 * together next.
 *
 * Visibility: when a write returns, its batches become durable together: the segment's
 * writtenBytes and index cover them, the producer history takes them in, and the log's high
 * watermark advances past them (`LogState.durable`). Only then are their appends resolved, so
 * an acknowledged batch is always visible, and nothing is ever visible that a crash could take
 * back. Every durability level waits for that, except 'memory' (acks=0), resolved at once.
 *
 * Failure (a write, sync, file creation or snapshot fails): every batch not yet durable is
 * rejected with StorageWriteError, the log moves its end back to the high watermark
 * (`LogState.rollBack`), and the writer cuts the active file back to its durable size, so no
 * part of a failed batch is ever served or found after a restart. Then it goes on with
 * whatever is appended next. Only if that clean-up fails too does the partition refuse every
 * later append until the broker restarts (recovery at open cuts whatever is left).
 *
 * Rolling: when the first batch of a new segment comes up, the previous segment is made
 * durable (fdatasync, index files written atomically) and sealed, and the producer snapshot
 * for the new segment's base offset is written, before the new segment's file is created; so
 * after a crash only the last segment can have a torn tail, and it always has its snapshot.
 */
import type { Logger } from '../../logger.js';
import { ProducerHistory } from '../../producers/producer-history.js';
import type { Durability } from '../storage.js';
import { StorageWriteError } from '../storage-write-error.js';
import { fsyncDirectory } from './atomic-file.js';
import { readStoredProducerBatch } from './batch-frame.js';
import type { SegmentWrite } from './fault-injection.js';
import { writeProducerSnapshot } from './producer-snapshot.js';
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

/** What the writer needs from the log it writes for. */
export interface LogState {
  /** Everything below `endOffset` is durable; `bytes` of record batches just became so. */
  durable(endOffset: number, bytes: number): void;
  /**
   * Forgets every batch past the high watermark (synchronously): the log end moves back to it,
   * segments starting past it are removed from the log and returned, and the segment now last
   * (`active`) is left with appendedBytes = writtenBytes.
   */
  rollBack(): { active: Segment; dropped: Segment[] };
}

export interface PartitionWriterOptions {
  /** Partition directory (fsync'ed after file creations). */
  directory: string;
  /** `<topic>-<partition>` for log lines. */
  name: string;
  logger: Logger;
  /** Producer state as of the first byte not yet written (from recovery). */
  producers: ProducerHistory;
  /** The positional write used for every batch write (a fault-injecting one in tests). */
  write: SegmentWrite;
}

/** Most buffers per writev (Linux IOV_MAX is 1024) and most bytes per write call. */
const maxBatchesPerWrite = 1024;
const maxBytesPerWrite = 16 * 1024 * 1024;

export class PartitionWriter {
  /** queue[head..] are not written yet; queue[..head) are written and about to be dropped. */
  private queue: QueuedBatch[] = [];
  private head = 0;
  private running: Promise<void> | null = null;
  /** Set once a failed write could not be cleaned up: the log accepts nothing more. */
  failure: StorageWriteError | null = null;

  constructor(
    /** The segment writes go to (the active one at open). */
    private current: Segment,
    private readonly log: LogState,
    private readonly options: PartitionWriterOptions,
  ) {}

  /** The producer history as of the end of the durable data. */
  get producers(): ProducerHistory {
    return this.options.producers;
  }

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

  /** Resolves once everything queued so far is written (or failed). */
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
      while (this.head < this.queue.length && !this.failure) {
        try {
          const next = this.queue[this.head]!;
          if (next.segment !== this.current) await this.switchTo(next.segment);
          if (!next.segment.fileCreated) await this.createFile(next.segment);
          await this.writeQueued();
        } catch (error) {
          await this.recoverFrom(error instanceof Error ? error : new Error(String(error)));
        }
      }
    } finally {
      this.running = null;
    }
  }

  /** Writes the longest run of queued batches bound for the current segment with one durable writev. */
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
    await segment.use((handle) => this.options.write(handle, buffers, bytes, first.position), 'durable');
    // Durable now. Synchronously, before any reader or appender runs: index, producer state,
    // readable bytes and high watermark cover exactly these batches, then their appends resolve.
    for (let i = this.head; i < end; i++) {
      const batch = this.queue[i]!;
      segment.index.add(batch.baseOffset - segment.baseOffset, batch.position, batch.maxTimestamp);
      this.options.producers.observe(readStoredProducerBatch(batch.bytes, 0));
    }
    segment.writtenBytes = first.position + bytes;
    this.log.durable(this.queue[end - 1]!.lastOffset + 1, bytes);
    for (let i = this.head; i < end; i++) {
      const batch = this.queue[i]!;
      batch.resolve?.(batch.baseOffset);
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

  /** Seals the segment being left (durable data, final index files), snapshots producer state for `next`, moves to it. */
  private async switchTo(next: Segment): Promise<void> {
    const previous = this.current;
    if (previous.fileCreated) {
      await previous.use((handle) => handle.datasync());
      previous.index.seal();
      await previous.writeIndexFiles();
    }
    await writeProducerSnapshot(this.options.directory, next.baseOffset, this.options.producers);
    previous.sealed = true;
    this.current = next;
    await previous.closeHandle();
  }

  private async createFile(segment: Segment): Promise<void> {
    await segment.use(async () => undefined);
    await fsyncDirectory(this.options.directory);
    segment.fileCreated = true;
  }

  /**
   * After a failed step: reject everything not durable, let the log forget it, and cut the
   * active file back to its durable size. If that fails too, refuse everything from now on.
   */
  private async recoverFrom(cause: Error): Promise<void> {
    const { name, logger } = this.options;
    const failed = this.queue.slice(this.head);
    this.queue = [];
    this.head = 0;
    const error = new StorageWriteError(`writing partition ${name} failed: ${cause.message}`, { cause });
    const { active, dropped } = this.log.rollBack();
    for (const batch of failed) batch.reject?.(error);
    logger.error('partition write failed; its unwritten batches are refused (KAFKA_STORAGE_ERROR) and cut from the log', {
      partition: name,
      error: cause.message,
      refusedBatches: failed.length,
      logEndOffset: active.nextOffset,
    });
    try {
      if (active.fileCreated) {
        await active.use(async (handle) => {
          await handle.truncate(active.writtenBytes);
          await handle.datasync();
        });
      }
      for (const segment of dropped) await segment.delete();
      if (dropped.some((segment) => segment.fileCreated)) await fsyncDirectory(this.options.directory);
    } catch (cleanup) {
      this.failure = new StorageWriteError(
        `partition ${name} cannot be written until the broker restarts: cleaning up after a failed write failed: ${(cleanup as Error).message}`,
        { cause: cleanup },
      );
      logger.error('partition failed for good; restart the broker (recovery at open cuts the failed data)', {
        partition: name,
        error: (cleanup as Error).message,
      });
      // Appends that arrived during the clean-up would land after the uncut bytes: refuse them too.
      const late = this.queue.slice(this.head);
      this.queue = [];
      this.head = 0;
      this.log.rollBack();
      for (const batch of late) batch.reject?.(this.failure);
    }
  }
}

/** writev of all `buffers` at `position`, finishing short writes. */
export const writeAllBuffers: SegmentWrite = async (handle, buffers, total, position) => {
  const { bytesWritten } = await handle.writev(buffers, position);
  if (bytesWritten === total) return;
  const rest = Buffer.concat(buffers).subarray(bytesWritten);
  let done = 0;
  while (done < rest.length) {
    const { bytesWritten: written } = await handle.write(rest, done, rest.length - done, position + bytesWritten + done);
    done += written;
  }
};
