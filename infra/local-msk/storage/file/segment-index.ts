/**
 * When a segment gets index entries (one rule, used both at append time and when an index
 * is rebuilt from the log, so both produce identical files):
 *
 * - Offset index: a batch gets an entry when it starts at least `indexIntervalBytes` after
 *   the previous entry's batch (position 0 is an implicit entry). So a lookup reads at most
 *   ~4 KiB plus one batch of headers after the entry it lands on.
 * - Time index: whenever a batch gets an offset entry and the running maximum timestamp
 *   of the segment has grown since the last time entry, the time index gets
 *   (running maximum, that batch's relative offset). Sealing a segment (roll) adds a last
 *   entry for the segment's final maximum, so a sealed segment's maximum timestamp is its
 *   last time entry. Invariant: at every offset-index point, the running maximum equals
 *   the newest time entry at or before it.
 */
import { OffsetIndex, TimeIndex } from './index-entries.js';

/** Kafka's index.interval.bytes default. */
export const indexIntervalBytes = 4096;

export class SegmentIndex {
  /** Largest batch maxTimestamp seen in the segment (ms), -1 before any. */
  maxTimestamp = -1;
  /** Set when entries were added since the index files were last written. */
  dirty = false;
  private lastEntryPosition = 0;
  private lastBatchRelativeOffset = -1;

  constructor(
    readonly offsets = new OffsetIndex(),
    readonly times = new TimeIndex(),
  ) {
    if (offsets.count > 0) this.lastEntryPosition = offsets.position(offsets.count - 1);
    if (times.count > 0) this.maxTimestamp = times.timestamp(times.count - 1);
  }

  /** Records one batch appended at `position` (relative offset = its base offset - segment base). */
  add(relativeOffset: number, position: number, batchMaxTimestamp: number): void {
    if (batchMaxTimestamp > this.maxTimestamp) this.maxTimestamp = batchMaxTimestamp;
    this.lastBatchRelativeOffset = relativeOffset;
    if (position - this.lastEntryPosition < indexIntervalBytes) return;
    this.offsets.append(relativeOffset, position);
    this.lastEntryPosition = position;
    this.addTimeEntry(relativeOffset);
    this.dirty = true;
  }

  /** Final time entry at roll: the segment's maximum timestamp, at its last batch. */
  seal(): void {
    if (this.lastBatchRelativeOffset >= 0) this.addTimeEntry(this.lastBatchRelativeOffset);
  }

  /** File position to start scanning from for the batch containing `relativeOffset`. */
  positionFor(relativeOffset: number): number {
    const entry = this.offsets.floorEntry(relativeOffset);
    return entry < 0 ? 0 : this.offsets.position(entry);
  }

  /**
   * File position to start scanning from for the first batch with maxTimestamp >= `timestamp`:
   * an offset-index point where the running maximum is still below `timestamp`, so no
   * earlier batch can be the answer.
   */
  timestampScanStart(timestamp: number): number {
    const timeEntry = this.times.firstAtOrAfter(timestamp);
    const offsetEntry =
      timeEntry < 0 ? this.offsets.count - 1 : this.offsets.floorEntry(this.times.relativeOffset(timeEntry), true);
    return offsetEntry < 0 ? 0 : this.offsets.position(offsetEntry);
  }

  private addTimeEntry(relativeOffset: number): void {
    const times = this.times;
    if (this.maxTimestamp < 0) return;
    if (times.count > 0 && this.maxTimestamp <= times.timestamp(times.count - 1)) return;
    times.append(this.maxTimestamp, relativeOffset);
    this.dirty = true;
  }
}
