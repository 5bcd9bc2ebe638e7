import { ResponseEncodingError } from '../errors.js';
import { encodeKafkaString, isWellFormedText, maxStringBytes } from './kafka-string.js';

/**
 * Builds a Kafka protocol buffer (big-endian). Small fields go into a growing scratch
 * buffer; large byte blocks (record batches) are kept as separate chunks so a Fetch
 * response never copies the log data it serves.
 */
export class Writer {
  private chunks: Buffer[] = [];
  private scratch: Buffer;
  private used = 0;
  private total = 0;

  /** Byte blocks at least this long are referenced instead of copied. */
  private static readonly zeroCopyThreshold = 1024;

  constructor(initialSize = 256) {
    this.scratch = Buffer.allocUnsafe(initialSize);
  }

  get length(): number {
    return this.total;
  }

  /** Makes room for `size` bytes and returns their position in `scratch` (which may be replaced: read `scratch` after calling). */
  private reserve(size: number): number {
    if (this.used + size > this.scratch.length) {
      this.flushScratch();
      this.scratch = Buffer.allocUnsafe(Math.max(size, this.scratch.length * 2));
    }
    const at = this.used;
    this.used += size;
    this.total += size;
    return at;
  }

  private flushScratch(): void {
    if (this.used > 0) {
      this.chunks.push(this.scratch.subarray(0, this.used));
      this.scratch = this.scratch.subarray(this.used);
      this.used = 0;
    }
  }

  int8(value: number): this {
    const at = this.reserve(1);
    this.scratch.writeInt8(value, at);
    return this;
  }

  boolean(value: boolean): this {
    return this.int8(value ? 1 : 0);
  }

  int16(value: number): this {
    const at = this.reserve(2);
    this.scratch.writeInt16BE(value, at);
    return this;
  }

  int32(value: number): this {
    const at = this.reserve(4);
    this.scratch.writeInt32BE(value, at);
    return this;
  }

  uint32(value: number): this {
    const at = this.reserve(4);
    this.scratch.writeUInt32BE(value, at);
    return this;
  }

  int64(value: number | bigint): this {
    const at = this.reserve(8);
    this.scratch.writeBigInt64BE(BigInt(value), at);
    return this;
  }

  varint(value: number): this {
    let zigzag = ((value << 1) ^ (value >> 31)) >>> 0;
    while (zigzag > 0x7f) {
      const at = this.reserve(1);
      this.scratch.writeUInt8((zigzag & 0x7f) | 0x80, at);
      zigzag >>>= 7;
    }
    const at = this.reserve(1);
    this.scratch.writeUInt8(zigzag, at);
    return this;
  }

  varlong(value: number | bigint): this {
    const big = BigInt(value);
    let zigzag = BigInt.asUintN(64, (big << 1n) ^ (big >> 63n));
    while (zigzag > 0x7fn) {
      const at = this.reserve(1);
      this.scratch.writeUInt8(Number(zigzag & 0x7fn) | 0x80, at);
      zigzag >>= 7n;
    }
    const at = this.reserve(1);
    this.scratch.writeUInt8(Number(zigzag), at);
    return this;
  }

  /** Unsigned varint (0 to 2^32 - 1), the lengths, counts and tags of the flexible versions. */
  unsignedVarint(value: number): this {
    let rest = value;
    while (rest >= 0x80) {
      const at = this.reserve(1);
      this.scratch.writeUInt8((rest % 0x80) | 0x80, at);
      rest = Math.floor(rest / 0x80);
    }
    const at = this.reserve(1);
    this.scratch.writeUInt8(rest, at);
    return this;
  }

  /**
   * COMPACT_NULLABLE_STRING: unsigned varint length + 1 (0 for null) then UTF-8, escapes written
   * back as their bytes like string(). Throws ResponseEncodingError above 32767 bytes, as Kafka
   * limits compact strings to the same length (nothing is written then).
   */
  compactNullableString(value: string | null | undefined): this {
    if (value === null || value === undefined) return this.unsignedVarint(0);
    const bytes = encodeKafkaString(value);
    if (bytes.length > maxStringBytes) throw tooLong(bytes.length);
    return this.unsignedVarint(bytes.length + 1).raw(bytes);
  }

  /** COMPACT_BYTES: unsigned varint length + 1 then raw bytes. */
  compactBytes(value: Buffer): this {
    return this.unsignedVarint(value.length + 1).raw(value);
  }

  /** An empty TAG_BUFFER (no tagged fields): what this broker writes wherever a flexible grammar has one. */
  emptyTaggedFields(): this {
    return this.unsignedVarint(0);
  }

  /**
   * STRING: int16 length then UTF-8; escapes from the Reader are written back as the bytes
   * they stand for. Throws ResponseEncodingError above 32767 bytes (nothing is written then).
   */
  string(value: string): this {
    if (!isWellFormedText(value)) return this.stringBytes(encodeKafkaString(value));
    const length = Buffer.byteLength(value, 'utf8');
    if (length > maxStringBytes) throw tooLong(length);
    this.int16(length);
    const at = this.reserve(length);
    this.scratch.write(value, at, length, 'utf8');
    return this;
  }

  private stringBytes(bytes: Buffer): this {
    if (bytes.length > maxStringBytes) throw tooLong(bytes.length);
    this.int16(bytes.length);
    return this.raw(bytes);
  }

  nullableString(value: string | null | undefined): this {
    if (value === null || value === undefined) return this.int16(-1);
    return this.string(value);
  }

  bytes(value: Buffer): this {
    this.int32(value.length);
    return this.raw(value);
  }

  nullableBytes(value: Buffer | null | undefined): this {
    if (value === null || value === undefined) return this.int32(-1);
    return this.bytes(value);
  }

  /** Raw bytes with no length prefix. */
  raw(value: Buffer): this {
    if (value.length >= Writer.zeroCopyThreshold) {
      this.flushScratch();
      this.chunks.push(value);
      this.total += value.length;
    } else if (value.length > 0) {
      const at = this.reserve(value.length);
      value.copy(this.scratch, at);
    }
    return this;
  }

  array<T>(items: readonly T[], writeElement: (writer: this, item: T) => void): this {
    this.int32(items.length);
    for (const item of items) writeElement(this, item);
    return this;
  }

  nullableArray<T>(items: readonly T[] | null | undefined, writeElement: (writer: this, item: T) => void): this {
    if (items === null || items === undefined) return this.int32(-1);
    return this.array(items, writeElement);
  }

  /** The chunks written so far, in order; their lengths add up to `length`. */
  toChunks(): Buffer[] {
    this.flushScratch();
    return this.chunks.slice();
  }

  toBuffer(): Buffer {
    const chunks = this.toChunks();
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, this.total);
  }
}

function tooLong(length: number): ResponseEncodingError {
  return new ResponseEncodingError(`a string of ${length} bytes does not fit a Kafka STRING (at most ${maxStringBytes})`);
}
