import type { KafkaRecordInput } from '../../functions/shared/kafka/index.js';
import { slotOf, type PayloadSizer } from './payload-size.js';

export interface BatcherOptions {
  /** Records per batch, 1..10,000. */
  batchSize: number;
  /** How long the first pending record may wait for company, in ms; 0 releases at the next check. */
  windowMs: number;
  /** Payload limit in bytes (maxInvokePayloadBytes in production). */
  maxPayloadBytes: number;
  sizer: PayloadSizer;
  /** Milliseconds; injectable so tests need no real time. */
  now?: () => number;
}

/**
 * Accumulates records into invoke-sized batches (pure: no timers, no I/O).
 *
 * A batch is released when
 *  - it holds batchSize records (released by that add);
 *  - the next record would push its payload over maxPayloadBytes (the pending batch is released
 *    first and the record starts the next one);
 *  - its window has expired (the caller asks `takeDue()`; `msUntilDue()` says when to ask).
 * A single record whose payload alone exceeds the limit is released alone, at once: the invoke
 * then fails as it would in AWS and the retry / on-failure path deals with it — it is never dropped.
 * Records are released in the order added, so per-partition order holds.
 */
export class Batcher {
  private pending: KafkaRecordInput[] = [];
  private pendingBytes = 0;
  private slots = new Set<string>();
  private openedAtMs = 0;
  private readonly now: () => number;

  constructor(private readonly options: BatcherOptions) {
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.pending.length;
  }

  /** Adds one record; returns the batches this add released (zero, one or two). */
  add(record: KafkaRecordInput): KafkaRecordInput[][] {
    const released: KafkaRecordInput[][] = [];
    const slot = slotOf(record);
    let cost = this.options.sizer.recordBytes(record) + (this.slots.has(slot) ? 0 : this.options.sizer.slotBytes(slot));
    if (this.pending.length > 0 && this.pendingBytes + cost > this.options.maxPayloadBytes) {
      released.push(this.take());
      cost = this.options.sizer.recordBytes(record) + this.options.sizer.slotBytes(slot);
    }
    if (this.pending.length === 0) {
      this.openedAtMs = this.now();
      this.pendingBytes = this.options.sizer.baseBytes;
    }
    this.pending.push(record);
    this.slots.add(slot);
    this.pendingBytes += cost;
    if (this.pending.length >= this.options.batchSize || this.pendingBytes > this.options.maxPayloadBytes) {
      released.push(this.take());
    }
    return released;
  }

  /** Milliseconds until the pending batch's window expires (0 when due), or null when nothing is pending. */
  msUntilDue(): number | null {
    if (this.pending.length === 0) return null;
    return Math.max(0, this.openedAtMs + this.options.windowMs - this.now());
  }

  /** The pending batch if its window has expired, else null. */
  takeDue(): KafkaRecordInput[] | null {
    return this.msUntilDue() === 0 ? this.take() : null;
  }

  /** Everything pending, window or not (empty when nothing is). */
  flush(): KafkaRecordInput[] {
    return this.take();
  }

  private take(): KafkaRecordInput[] {
    const batch = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    this.slots = new Set();
    return batch;
  }
}
