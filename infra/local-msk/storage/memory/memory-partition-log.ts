import type { StoredProducerBatch } from '../../producers/producer-history.js';
import type { BatchInfo, Durability, PartitionLog, RetentionLimits } from '../storage.js';

interface StoredBatch {
  baseOffset: number;
  lastOffset: number;
  maxTimestamp: number;
  bytes: Buffer;
}

/**
 * A partition log held in memory: an array of batches ordered by base offset. Nothing survives
 * the broker process, so there is no durability to wait for: a batch is visible (below the
 * high watermark) as soon as it is appended, and producer state is never restored from it.
 */
export class MemoryPartitionLog implements PartitionLog {
  private batches: StoredBatch[] = [];
  private start = 0;
  private end = 0;
  private size = 0;
  private onVisible: ((visibleBytes: number) => void) | null = null;

  get logStartOffset(): number {
    return this.start;
  }

  get logEndOffset(): number {
    return this.end;
  }

  get highWatermark(): number {
    return this.end;
  }

  get sizeBytes(): number {
    return this.size;
  }

  watchHighWatermark(listener: (visibleBytes: number) => void): void {
    this.onVisible = listener;
  }

  storedProducerBatches(): StoredProducerBatch[] {
    return [];
  }

  async append(batch: Buffer, info: BatchInfo, _durability: Durability): Promise<number> {
    const baseOffset = this.end;
    const bytes = Buffer.from(batch); // own copy: the request buffer is reused by nobody, but stay safe
    bytes.writeBigInt64BE(BigInt(baseOffset), 0);
    this.batches.push({
      baseOffset,
      lastOffset: baseOffset + info.lastOffsetDelta,
      maxTimestamp: info.maxTimestamp,
      bytes,
    });
    this.end = baseOffset + info.lastOffsetDelta + 1;
    this.size += bytes.length;
    this.onVisible?.(bytes.length);
    return baseOffset;
  }

  async read(offset: number, maxBytes: number): Promise<Buffer[]> {
    if (offset < this.start || offset > this.end) {
      throw new RangeError(`offset ${offset} outside [${this.start}, ${this.end}]`);
    }
    const result: Buffer[] = [];
    let total = 0;
    for (let i = this.indexOf(offset); i < this.batches.length; i++) {
      const batch = this.batches[i]!;
      if (result.length > 0 && total + batch.bytes.length > maxBytes) break;
      result.push(batch.bytes);
      total += batch.bytes.length;
    }
    return result;
  }

  async findBatchByTimestamp(timestamp: number): Promise<Buffer | null> {
    return this.batches.find((batch) => batch.maxTimestamp >= timestamp)?.bytes ?? null;
  }

  async enforceRetention(limits: RetentionLimits, now: number): Promise<void> {
    // Keep at least the newest batch, as the file log keeps its active segment.
    while (this.batches.length > 1) {
      const oldest = this.batches[0]!;
      const tooOld = limits.retentionMs >= 0 && oldest.maxTimestamp < now - limits.retentionMs;
      const tooBig = limits.retentionBytes >= 0 && this.size > limits.retentionBytes;
      if (!tooOld && !tooBig) break;
      this.batches.shift();
      this.size -= oldest.bytes.length;
      this.start = oldest.lastOffset + 1;
    }
  }

  async close(): Promise<void> {}

  /** Index of the batch containing `offset` (or the first after it). */
  private indexOf(offset: number): number {
    let low = 0;
    let high = this.batches.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.batches[mid]!.lastOffset < offset) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
