/**
 * A partition log on segment files (see layout.ts for the files, partition-writer.ts for
 * the flush policy and failed writes, segment-recovery.ts for what happens at open).
 *
 * Read visibility: `read` and `findBatchByTimestamp` see only durable batches, below the high
 * watermark: positional reads of whole frames below each segment's writtenBytes, which the
 * writer advances together with the high watermark once a write is on stable storage. A batch
 * still queued or being written is never served (a crash could take it back), and a read never
 * returns part of a batch. At open everything recovered is durable: high watermark = log end.
 */
import type { Logger } from '../../logger.js';
import type { StoredProducerBatch } from '../../producers/producer-history.js';
import type { BatchInfo, BatchOwnership, Durability, PartitionLog, RetentionLimits } from '../storage.js';
import { assertAppendableBatch, readFrameHeader, readFrameSize, rewriteMaxTimestamp, writeBaseOffset } from './batch-frame.js';
import { withStorageFault, type StorageFault } from './fault-injection.js';
import { scanFrames, type ScannedFrame } from './frame-scanner.js';
import { recoverPartition, writeLogStartOffset } from './partition-recovery.js';
import { PartitionWriter, writeAllBuffers, type LogState } from './partition-writer.js';
import type { RecoveredPartition } from './partition-recovery.js';
import { Segment, SegmentDeletedError } from './segment.js';
import { SegmentIndex } from './segment-index.js';

export interface FilePartitionLogOptions {
  /** Roll the active segment before it would grow past this many bytes (a lone larger batch still fits). */
  segmentBytes: number;
  logger: Logger;
  /** TEST-ONLY: a fault to inject into this partition's writes (fault-injection.ts). */
  fault?: StorageFault;
}

/** Relative offsets and positions are uint32 in the index files; stay well inside. */
const maxSegmentOffsetSpan = 0x7fffffff;
/** Headers read per positional read when stepping from an index entry to a batch. */
const lookupChunkBytes = 8 * 1024;
/** Attempts of a read or search that raced with retention deleting its segment. */
const retentionRaceAttempts = 3;

export class FilePartitionLog implements PartitionLog {
  private readonly segments: Segment[];
  private start: number;
  private end: number;
  /** End of the durable, visible records. */
  private visibleEnd: number;
  private onVisible: ((visibleBytes: number) => void) | null = null;
  private readonly writer: PartitionWriter;
  private closing: Promise<void> | null = null;
  private retention: Promise<void> = Promise.resolve();

  private constructor(
    private readonly directory: string,
    private readonly name: string,
    private readonly options: FilePartitionLogOptions,
    recovered: RecoveredPartition,
  ) {
    this.segments = recovered.segments;
    this.start = recovered.logStartOffset;
    this.end = this.active.nextOffset;
    this.visibleEnd = this.end;
    const { logger, fault } = options;
    const state: LogState = {
      durable: (endOffset, bytes) => this.advanceHighWatermark(endOffset, bytes),
      rollBack: () => this.rollBackToHighWatermark(),
    };
    this.writer = new PartitionWriter(this.active, state, {
      directory,
      name,
      logger,
      producers: recovered.producers,
      write: fault ? withStorageFault(writeAllBuffers, fault, name, logger) : writeAllBuffers,
    });
  }

  /** Opens (creating or recovering) the partition stored in `directory`; `name` is `<topic>-<partition>` for log lines. */
  static async open(directory: string, name: string, options: FilePartitionLogOptions): Promise<FilePartitionLog> {
    const recovered = await recoverPartition({ directory, name, logger: options.logger });
    return new FilePartitionLog(directory, name, options, recovered);
  }

  get logStartOffset(): number {
    return this.start;
  }

  get logEndOffset(): number {
    return this.end;
  }

  get highWatermark(): number {
    return this.visibleEnd;
  }

  watchHighWatermark(listener: (visibleBytes: number) => void): void {
    this.onVisible = listener;
  }

  storedProducerBatches(): StoredProducerBatch[] {
    return this.writer.producers.batches();
  }

  get sizeBytes(): number {
    let total = 0;
    for (const segment of this.segments) total += segment.appendedBytes;
    return total;
  }

  /**
   * The stored header must be what recovery will read back: `info.lastOffsetDelta` has to
   * match the header, and when `info.maxTimestamp` (computed from the records) differs from
   * the header's, the stored copy's header is rewritten to it (new CRC), as Kafka does.
   * A request frame costs the broker one external-memory buffer fewer when it hands its
   * batches over ('take'): fewer ArrayBuffer bytes means fewer full garbage collections.
   */
  append(batch: Buffer, info: BatchInfo, durability: Durability, ownership: BatchOwnership = 'copy'): Promise<number> {
    if (this.closing) return Promise.reject(new Error(`partition ${this.name} is closed`));
    if (this.writer.failure) return Promise.reject(this.writer.failure);
    let header;
    try {
      assertAppendableBatch(batch);
      header = readFrameHeader(batch, 0);
      if (header.lastOffset - header.baseOffset !== info.lastOffsetDelta) {
        throw new RangeError(`info.lastOffsetDelta ${info.lastOffsetDelta} disagrees with the batch header`);
      }
    } catch (error) {
      return Promise.reject(error);
    }
    const baseOffset = this.end;
    const lastOffset = baseOffset + info.lastOffsetDelta;
    let segment = this.active;
    if (
      segment.appendedBytes > 0 &&
      (segment.appendedBytes + batch.length > this.options.segmentBytes || lastOffset - segment.baseOffset > maxSegmentOffsetSpan)
    ) {
      segment = this.roll();
    }

    // A taken batch is a view into its request frame, which lives only until the batch is written.
    let bytes = batch;
    if (ownership === 'copy') {
      bytes = Buffer.allocUnsafeSlow(batch.length);
      batch.copy(bytes);
    }
    writeBaseOffset(bytes, baseOffset);
    if (header.maxTimestamp !== info.maxTimestamp) rewriteMaxTimestamp(bytes, info.maxTimestamp);
    const position = segment.appendedBytes;
    segment.appendedBytes += bytes.length;
    segment.nextOffset = lastOffset + 1;
    this.end = lastOffset + 1;
    return this.writer.enqueue({
      segment,
      position,
      baseOffset,
      lastOffset,
      maxTimestamp: info.maxTimestamp,
      bytes,
      durability,
      resolve: null,
      reject: null,
    });
  }

  async read(offset: number, maxBytes: number): Promise<Buffer[]> {
    for (let attempt = 1; ; attempt++) {
      this.checkRange(offset);
      try {
        return await this.readOnce(offset, maxBytes);
      } catch (error) {
        // Retention deleted a segment under us: the offset may now be out of range.
        if (!(error instanceof SegmentDeletedError) || attempt >= retentionRaceAttempts) throw error;
      }
    }
  }

  async findBatchByTimestamp(timestamp: number): Promise<Buffer | null> {
    for (let attempt = 1; ; attempt++) {
      this.checkOpen();
      try {
        return await this.findByTimestampOnce(timestamp);
      } catch (error) {
        if (!(error instanceof SegmentDeletedError) || attempt >= retentionRaceAttempts) throw error;
      }
    }
  }

  /**
   * Deletes whole sealed segments from the oldest while they are older than retentionMs
   * (by their newest timestamp) or the partition is larger than retentionBytes; the active
   * segment always stays. The new log-start-offset is persisted before files are unlinked.
   */
  enforceRetention(limits: RetentionLimits, now: number): Promise<void> {
    const run = this.retention.then(() => this.enforceRetentionNow(limits, now));
    this.retention = run.catch(() => undefined);
    return run;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.retention;
      await this.writer.close();
      for (const segment of this.segments) await segment.closeHandle();
    })();
    return this.closing;
  }

  private get active(): Segment {
    return this.segments[this.segments.length - 1]!;
  }

  /** Starts a new active segment at the log end; the writer seals the old one when it gets there. */
  private roll(): Segment {
    const segment = new Segment(this.directory, this.end, new SegmentIndex(), { bytes: 0, nextOffset: this.end, fileCreated: false });
    this.segments.push(segment);
    return segment;
  }

  /** Advances the high watermark (the writer just made everything below `endOffset` durable). */
  private advanceHighWatermark(endOffset: number, bytes: number): void {
    this.visibleEnd = endOffset;
    this.onVisible?.(bytes);
  }

  /**
   * Forgets the batches a failed write left undurable: the log end goes back to the high
   * watermark, segments rolled past it leave the log (the writer deletes their files), and the
   * last remaining segment takes appends again from its durable size.
   */
  private rollBackToHighWatermark(): { active: Segment; dropped: Segment[] } {
    let keep = this.segments.length;
    while (keep > 1 && this.segments[keep - 1]!.baseOffset > this.visibleEnd) keep--;
    const dropped = this.segments.splice(keep);
    const active = this.active;
    active.appendedBytes = active.writtenBytes;
    active.nextOffset = this.visibleEnd;
    this.end = this.visibleEnd;
    return { active, dropped };
  }

  private async readOnce(offset: number, maxBytes: number): Promise<Buffer[]> {
    const batches: Buffer[] = [];
    let total = 0;
    let next = offset;
    // Segments are read below their writtenBytes, which moves with the high watermark: all durable.
    while (next < this.visibleEnd && (batches.length === 0 || total < maxBytes)) {
      const segment = this.segmentContaining(next);
      const found = await this.readFromSegment(segment, next, batches.length === 0 ? maxBytes : maxBytes - total, batches.length === 0);
      if (found === 'gap') {
        // No batch at or after `next` in this segment (a sealed segment ends early): go on with the next one.
        next = segment.nextOffset;
        continue;
      }
      if (found.length === 0) break;
      for (const batch of found) {
        batches.push(batch);
        total += batch.length;
      }
      const last = found[found.length - 1]!;
      next = readFrameHeader(last, 0).lastOffset + 1;
    }
    return batches;
  }

  /**
   * Whole written frames of `segment` from the one containing `offset`, within `budget`
   * bytes (the first one regardless of budget when `takeFirst`).
   */
  private async readFromSegment(segment: Segment, offset: number, budget: number, takeFirst: boolean): Promise<Buffer[] | 'gap'> {
    const written = segment.writtenBytes;
    const frame = await this.locate(segment, offset, written);
    if (!frame) return 'gap';
    if (!takeFirst && frame.size > budget) return [];
    const length = Math.max(frame.size, Math.min(budget, written - frame.position));
    const bytes = await segment.read(frame.position, length);
    const batches: Buffer[] = [];
    let at = 0;
    while (at + 12 <= bytes.length) {
      const size = readFrameSize(bytes, at);
      if (at + size > bytes.length) break;
      batches.push(bytes.subarray(at, at + size));
      at += size;
    }
    return batches;
  }

  /** The written frame containing `offset` (or the first after it), found from the offset index; null if none below `written`. */
  private async locate(segment: Segment, offset: number, written: number): Promise<ScannedFrame | null> {
    let found: ScannedFrame | null = null;
    const from = segment.index.positionFor(offset - segment.baseOffset);
    await segment.use((handle) =>
      scanFrames(
        handle,
        from,
        written,
        (frame) => {
          if (frame.lastOffset < offset) return 'continue';
          found = frame;
          return 'stop';
        },
        { wholeFrames: false, chunkBytes: lookupChunkBytes },
      ),
    );
    return found;
  }

  private async findByTimestampOnce(timestamp: number): Promise<Buffer | null> {
    for (const segment of [...this.segments]) {
      if (segment.maxTimestamp < timestamp) continue;
      let position = segment.index.timestampScanStart(timestamp);
      let found: ScannedFrame | null = null;
      while (!found && position < segment.writtenBytes) {
        const written = segment.writtenBytes;
        const scanFrom = position;
        await segment.use((handle) =>
          scanFrames(
            handle,
            scanFrom,
            written,
            (frame) => {
              if (frame.maxTimestamp < timestamp) return 'continue';
              found = frame;
              return 'stop';
            },
            { wholeFrames: false, chunkBytes: lookupChunkBytes },
          ),
        );
        position = written;
      }
      if (found) {
        const frame: ScannedFrame = found;
        return segment.read(frame.position, frame.size);
      }
    }
    return null;
  }

  private async enforceRetentionNow(limits: RetentionLimits, now: number): Promise<void> {
    if (this.closing) return;
    let size = this.sizeBytes;
    let count = 0;
    while (count < this.segments.length - 1) {
      const oldest = this.segments[count]!;
      if (!oldest.sealed) break;
      const tooOld = limits.retentionMs >= 0 && oldest.maxTimestamp < now - limits.retentionMs;
      const tooBig = limits.retentionBytes >= 0 && size > limits.retentionBytes;
      if (!tooOld && !tooBig) break;
      size -= oldest.appendedBytes;
      count++;
    }
    if (count === 0) return;
    const removed = this.segments.splice(0, count);
    for (const segment of removed) segment.deleted = true;
    const newStart = this.segments[0]!.baseOffset;
    if (newStart > this.start) this.start = newStart;
    await writeLogStartOffset(this.directory, this.start);
    for (const segment of removed) await segment.delete();
  }

  /** The segment whose offset range holds `offset` (the last with baseOffset <= offset). */
  private segmentContaining(offset: number): Segment {
    let low = 0;
    let high = this.segments.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if (this.segments[mid]!.baseOffset <= offset) low = mid;
      else high = mid - 1;
    }
    return this.segments[low]!;
  }

  private checkOpen(): void {
    if (this.closing) throw new Error(`partition ${this.name} is closed`);
  }

  private checkRange(offset: number): void {
    this.checkOpen();
    if (!Number.isInteger(offset) || offset < this.start || offset > this.end) {
      throw new RangeError(`offset ${offset} outside [${this.start}, ${this.end}]`);
    }
  }
}
