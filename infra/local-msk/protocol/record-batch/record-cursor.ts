import { KafkaProtocolError } from '../../errors.js';
import { ErrorCode } from '../error-codes.js';

/**
 * A bounds-checked cursor over the records section of a batch. Unlike protocol/Reader it
 * reports problems as INVALID_RECORD (answered per partition, the connection stays open)
 * and decodes varints inline without allocating, since it runs once per produced record.
 */
export class RecordCursor {
  constructor(
    readonly bytes: Buffer,
    public pos: number,
    public end: number,
  ) {}

  fail(message: string): never {
    throw new KafkaProtocolError(ErrorCode.INVALID_RECORD, message);
  }

  byte(): number {
    if (this.pos >= this.end) this.fail(`record truncated at byte ${this.pos}`);
    return this.bytes[this.pos++]!;
  }

  /** Zig-zag varint, at most 5 bytes. */
  varint(): number {
    let raw = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (this.pos >= this.end) this.fail(`varint truncated at byte ${this.pos}`);
      const b = this.bytes[this.pos++]!;
      raw |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return (raw >>> 1) ^ -(raw & 1);
    }
    return this.fail(`varint longer than 5 bytes at byte ${this.pos}`);
  }

  /** Zig-zag varlong, at most 10 bytes; exact while |value| < 2^53 (larger is INVALID_RECORD). */
  varlong(): number {
    let raw = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) this.fail(`varlong truncated at byte ${this.pos}`);
      const b = this.bytes[this.pos++]!;
      raw += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) {
        if (raw > Number.MAX_SAFE_INTEGER) this.fail(`varlong out of range at byte ${this.pos}`);
        return raw % 2 === 1 ? -(raw + 1) / 2 : raw / 2;
      }
      scale *= 128;
    }
    return this.fail(`varlong longer than 10 bytes at byte ${this.pos}`);
  }

  /** Skips `size` bytes, which must lie within the current bound. */
  skip(size: number, what: string): void {
    if (size > this.end - this.pos) this.fail(`${what} of ${size} bytes runs past its record at byte ${this.pos}`);
    this.pos += size;
  }

  /** A view of the next `size` bytes. */
  view(size: number, what: string): Buffer {
    const at = this.pos;
    this.skip(size, what);
    return this.bytes.subarray(at, at + size);
  }
}
