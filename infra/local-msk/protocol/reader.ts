import { MalformedRequestError } from '../errors.js';
import { decodeKafkaString } from './kafka-string.js';

/**
 * Cursor over a Kafka protocol buffer (big-endian, as the protocol defines).
 * Every read checks bounds and throws MalformedRequestError instead of reading past `end`,
 * so a truncated or hostile frame can never read another frame's bytes or allocate
 * more than the frame holds.
 */
export class Reader {
  offset: number;

  constructor(
    readonly buffer: Buffer,
    start = 0,
    readonly end = buffer.length,
  ) {
    this.offset = start;
  }

  remaining(): number {
    return this.end - this.offset;
  }

  private take(size: number, what: string): number {
    if (size < 0 || this.offset + size > this.end) {
      throw new MalformedRequestError(
        `truncated ${what}: need ${size} bytes at byte ${this.offset}, ${this.remaining()} left`,
      );
    }
    const at = this.offset;
    this.offset += size;
    return at;
  }

  int8(): number {
    return this.buffer.readInt8(this.take(1, 'int8'));
  }

  boolean(): boolean {
    return this.int8() !== 0;
  }

  int16(): number {
    return this.buffer.readInt16BE(this.take(2, 'int16'));
  }

  int32(): number {
    return this.buffer.readInt32BE(this.take(4, 'int32'));
  }

  uint32(): number {
    return this.buffer.readUInt32BE(this.take(4, 'uint32'));
  }

  int64Big(): bigint {
    return this.buffer.readBigInt64BE(this.take(8, 'int64'));
  }

  /** int64 as a JS number; offsets and timestamps stay far below 2^53. */
  int64(): number {
    const value = this.int64Big();
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new MalformedRequestError(`int64 ${value} is outside the supported range`);
    }
    return Number(value);
  }

  uuid(): Buffer {
    return this.bytesOf(16, 'uuid');
  }

  /** Zig-zag varint (at most 5 bytes) as used inside record batches. */
  varint(): number {
    let result = 0;
    let shift = 0;
    for (let i = 0; i < 5; i++) {
      const byte = this.buffer.readUInt8(this.take(1, 'varint'));
      result |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return (result >>> 1) ^ -(result & 1);
      shift += 7;
    }
    throw new MalformedRequestError('varint longer than 5 bytes');
  }

  /** Zig-zag varlong (at most 10 bytes) returned as a number; |value| must stay below 2^53. */
  varlong(): number {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      const byte = this.buffer.readUInt8(this.take(1, 'varlong'));
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) {
        const decoded = (result >> 1n) ^ -(result & 1n);
        if (decoded > BigInt(Number.MAX_SAFE_INTEGER) || decoded < BigInt(Number.MIN_SAFE_INTEGER)) {
          throw new MalformedRequestError(`varlong ${decoded} is outside the supported range`);
        }
        return Number(decoded);
      }
      shift += 7n;
    }
    throw new MalformedRequestError('varlong longer than 10 bytes');
  }

  /** Unsigned varint as used by the flexible (compact) encodings. */
  unsignedVarint(): number {
    let result = 0;
    for (let i = 0; i < 5; i++) {
      const byte = this.buffer.readUInt8(this.take(1, 'unsigned varint'));
      result += (byte & 0x7f) * 2 ** (7 * i);
      if ((byte & 0x80) === 0) return result;
    }
    throw new MalformedRequestError('unsigned varint longer than 5 bytes');
  }

  /** STRING: int16 length then UTF-8 bytes; a null (-1) is malformed here. */
  string(): string {
    const value = this.nullableString();
    if (value === null) throw new MalformedRequestError('null where a non-nullable string is required');
    return value;
  }

  /**
   * NULLABLE_STRING: int16 length (-1 for null) then UTF-8 bytes. Bytes that are not UTF-8
   * become escapes (see kafka-string.ts), so writing the value back gives the same bytes.
   */
  nullableString(): string | null {
    const length = this.int16();
    if (length === -1) return null;
    if (length < 0) throw new MalformedRequestError(`negative string length ${length}`);
    const at = this.take(length, 'string');
    return decodeKafkaString(this.buffer.subarray(at, at + length));
  }

  /** BYTES: int32 length then raw bytes (a view, not a copy). */
  bytes(): Buffer {
    const value = this.nullableBytes();
    if (value === null) throw new MalformedRequestError('null where non-nullable bytes are required');
    return value;
  }

  /** NULLABLE_BYTES / RECORDS: int32 length (-1 for null) then raw bytes (a view, not a copy). */
  nullableBytes(): Buffer | null {
    const length = this.int32();
    if (length === -1) return null;
    if (length < 0) throw new MalformedRequestError(`negative bytes length ${length}`);
    return this.bytesOf(length, 'bytes');
  }

  /** COMPACT_BYTES (flexible versions): unsigned varint length + 1 then raw bytes (a view, not a copy); null (0) is malformed here. */
  compactBytes(): Buffer {
    const value = this.compactNullableBytes();
    if (value === null) throw new MalformedRequestError('null where non-nullable compact bytes are required');
    return value;
  }

  /** COMPACT_NULLABLE_BYTES: unsigned varint length + 1 (0 for null) then raw bytes (a view, not a copy). */
  compactNullableBytes(): Buffer | null {
    const lengthPlusOne = this.unsignedVarint();
    if (lengthPlusOne === 0) return null;
    return this.bytesOf(lengthPlusOne - 1, 'compact bytes');
  }

  /** Exactly `size` raw bytes (a view, not a copy). */
  bytesOf(size: number, what = 'bytes'): Buffer {
    const at = this.take(size, what);
    return this.buffer.subarray(at, at + size);
  }

  /** ARRAY: int32 count then elements; a null array (-1) is read as empty. */
  array<T>(readElement: (reader: Reader) => T): T[] {
    return this.nullableArray(readElement) ?? [];
  }

  /** ARRAY: int32 count (-1 for null) then elements. */
  nullableArray<T>(readElement: (reader: Reader) => T): T[] | null {
    const count = this.int32();
    if (count === -1) return null;
    // Every element takes at least one byte, so a count above the bytes left is a lie
    // that would otherwise make us allocate without bound.
    if (count < 0 || count > this.remaining()) {
      throw new MalformedRequestError(`array count ${count} with ${this.remaining()} bytes left`);
    }
    const items = new Array<T>(count);
    for (let i = 0; i < count; i++) items[i] = readElement(this);
    return items;
  }

  /** Skips a flexible-version tagged-field section. */
  skipTaggedFields(): void {
    const count = this.unsignedVarint();
    for (let i = 0; i < count; i++) {
      this.unsignedVarint();
      const size = this.unsignedVarint();
      this.take(size, 'tagged field');
    }
  }
}
