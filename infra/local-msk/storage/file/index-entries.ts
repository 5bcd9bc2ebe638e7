/**
 * The two sparse indexes of a segment, held in memory in exactly their on-disk form
 * (big-endian fixed-size entries, as Kafka's .index / .timeindex files):
 *
 *   OffsetIndex entry (8 bytes):  relativeOffset u32 | position u32
 *   TimeIndex entry (12 bytes):   timestamp i64      | relativeOffset u32
 *
 * relativeOffset = batch base offset - segment base offset; position = byte position of
 * that batch in the .log file. Both columns strictly increase from entry to entry.
 */

/** A growable array of fixed-size entries backed by one Buffer. */
class EntryArray {
  private buffer: Buffer;
  count = 0;

  constructor(readonly entryBytes: number, initial?: Buffer) {
    if (initial) {
      this.buffer = Buffer.from(initial);
      this.count = Math.floor(initial.length / entryBytes);
    } else {
      this.buffer = Buffer.allocUnsafe(entryBytes * 64);
    }
  }

  /** Byte position of entry `index`; grows the buffer when appending past the end. */
  protected slot(index: number): number {
    const at = index * this.entryBytes;
    if (at + this.entryBytes > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, at + this.entryBytes));
      this.buffer.copy(grown, 0, 0, this.count * this.entryBytes);
      this.buffer = grown;
    }
    return at;
  }

  protected get bytes(): Buffer {
    return this.buffer;
  }

  /** The entries in file form (a view; copy before keeping it across appends). */
  fileBytes(): Buffer {
    return this.buffer.subarray(0, this.count * this.entryBytes);
  }

  /** Index of the last entry whose key (via `keyOf`) is <= `key` (or < when `strict`); -1 if none. */
  protected floor(key: number, keyOf: (index: number) => number, strict: boolean): number {
    let low = 0;
    let high = this.count;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const k = keyOf(mid);
      if (strict ? k < key : k <= key) low = mid + 1;
      else high = mid;
    }
    return low - 1;
  }
}

export class OffsetIndex extends EntryArray {
  static readonly entryBytes = 8;

  constructor(initial?: Buffer) {
    super(OffsetIndex.entryBytes, initial);
  }

  relativeOffset(index: number): number {
    return this.bytes.readUInt32BE(index * 8);
  }

  position(index: number): number {
    return this.bytes.readUInt32BE(index * 8 + 4);
  }

  append(relativeOffset: number, position: number): void {
    const at = this.slot(this.count);
    this.bytes.writeUInt32BE(relativeOffset, at);
    this.bytes.writeUInt32BE(position, at + 4);
    this.count++;
  }

  /** Index of the last entry with relativeOffset <= `relativeOffset` (< when `strict`), or -1. */
  floorEntry(relativeOffset: number, strict = false): number {
    return this.floor(relativeOffset, (i) => this.relativeOffset(i), strict);
  }

  /** Why these entries cannot index a log of `logBytes` bytes, or null when they can. */
  problem(logBytes: number, maxRelativeOffset: number): string | null {
    for (let i = 0; i < this.count; i++) {
      const relative = this.relativeOffset(i);
      const position = this.position(i);
      if (position >= logBytes) return `entry ${i} points past the end of the log`;
      if (relative > maxRelativeOffset) return `entry ${i} points past the segment's last offset`;
      if (i > 0 && (relative <= this.relativeOffset(i - 1) || position <= this.position(i - 1))) {
        return `entry ${i} is not increasing`;
      }
    }
    return null;
  }
}

export class TimeIndex extends EntryArray {
  static readonly entryBytes = 12;

  constructor(initial?: Buffer) {
    super(TimeIndex.entryBytes, initial);
  }

  timestamp(index: number): number {
    return this.bytes.readInt32BE(index * 12) * 4294967296 + this.bytes.readUInt32BE(index * 12 + 4);
  }

  relativeOffset(index: number): number {
    return this.bytes.readUInt32BE(index * 12 + 8);
  }

  append(timestamp: number, relativeOffset: number): void {
    const at = this.slot(this.count);
    this.bytes.writeInt32BE(Math.floor(timestamp / 4294967296), at);
    this.bytes.writeUInt32BE(timestamp >>> 0, at + 4);
    this.bytes.writeUInt32BE(relativeOffset, at + 8);
    this.count++;
  }

  /** Index of the first entry with timestamp >= `timestamp`, or -1. */
  firstAtOrAfter(timestamp: number): number {
    const index = this.floor(timestamp, (i) => this.timestamp(i), true) + 1;
    return index < this.count ? index : -1;
  }

  /** Why these entries cannot index a segment, or null when they can. */
  problem(maxRelativeOffset: number): string | null {
    for (let i = 0; i < this.count; i++) {
      if (this.relativeOffset(i) > maxRelativeOffset) return `entry ${i} points past the segment's last offset`;
      if (i > 0 && (this.timestamp(i) <= this.timestamp(i - 1) || this.relativeOffset(i) <= this.relativeOffset(i - 1))) {
        return `entry ${i} is not increasing`;
      }
    }
    return null;
  }
}
