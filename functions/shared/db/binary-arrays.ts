/**
 * One-dimensional PostgreSQL arrays in the binary wire format (what `array_recv` reads), for the
 * unnest(...) parameters of batch inserts. node-postgres sends a Buffer parameter with format
 * code 1 (binary); the statement's cast (`$1::text[]`) gives its type, and PostgreSQL checks that
 * the element type OID written here matches it.
 *
 * Why: node-postgres turns JS arrays into array literals (`{"a","b\"c"}`), escaping every element
 * on the client and re-parsing quotes and timestamps on the server. Here every element is
 * length-prefixed bytes, so no element can be mistaken for syntax whatever it holds (quotes,
 * braces, backslashes, "NULL"), and timestamps travel as integers.
 *
 * Layout (all integers big-endian): int32 ndim (1), int32 has-nulls flag, uint32 element type
 * OID, int32 length, int32 lower bound (1), then per element int32 byte length (-1 = NULL) and
 * the bytes. An empty array is ndim 0, flag 0, OID and nothing else.
 * Units: timestamptz = int64 µs since 2000-01-01T00:00:00Z; int4/int8 = signed integers;
 * float8 = IEEE 754 double; text = UTF-8 (PostgreSQL verifies it and refuses NUL).
 */

export const OID = { bytea: 17, int8: 20, int4: 23, text: 25, float8: 701, timestamptz: 1184 } as const;

const HEADER_BYTES = 20;
const EMPTY_HEADER_BYTES = 12;
const LENGTH_BYTES = 4;
const NULL_LENGTH = -1;
const TWO_POW_32 = 4_294_967_296;
/** 2000-01-01T00:00:00Z, PostgreSQL's timestamp epoch, in ms since the Unix epoch. */
const POSTGRES_EPOCH_MS = 946_684_800_000;
/** A UTF-16 code unit takes at most 3 UTF-8 bytes (a surrogate pair: 2 units, 4 bytes). */
const MAX_UTF8_BYTES_PER_UNIT = 3;

/** text[] (or any text-like element type): each string as UTF-8, null as SQL NULL. */
export function encodeTextArray(values: readonly (string | null)[], oid: number = OID.text): Buffer {
  let bound = HEADER_BYTES;
  for (const value of values) bound += LENGTH_BYTES + (value === null ? 0 : value.length * MAX_UTF8_BYTES_PER_UNIT);
  const { buffer, view } = allocate(bound);
  let position = writeHeader(view, values, oid);
  for (const value of values) {
    if (value === null) {
      view.setInt32(position, NULL_LENGTH);
      position += LENGTH_BYTES;
    } else {
      const written = buffer.write(value, position + LENGTH_BYTES, 'utf8');
      view.setInt32(position, written);
      position += LENGTH_BYTES + written;
    }
  }
  return buffer.subarray(0, position);
}

/** bytea[]: the bytes as they are, null as SQL NULL. */
export function encodeByteaArray(values: readonly (Uint8Array | null)[]): Buffer {
  let size = HEADER_BYTES;
  for (const value of values) size += LENGTH_BYTES + (value === null ? 0 : value.byteLength);
  const { buffer, view } = allocate(size);
  let position = writeHeader(view, values, OID.bytea);
  for (const value of values) {
    view.setInt32(position, value === null ? NULL_LENGTH : value.byteLength);
    position += LENGTH_BYTES;
    if (value !== null) {
      buffer.set(value, position);
      position += value.byteLength;
    }
  }
  return buffer.subarray(0, position);
}

/** int4[]: each value must be an integer in the int32 range (callers validate). */
export function encodeInt4Array(values: readonly number[]): Buffer {
  const { buffer, view } = allocate(HEADER_BYTES + values.length * (LENGTH_BYTES + 4));
  let position = writeHeader(view, values, OID.int4);
  for (const value of values) {
    view.setInt32(position, 4);
    view.setInt32(position + LENGTH_BYTES, value);
    position += LENGTH_BYTES + 4;
  }
  return buffer.subarray(0, position);
}

/** int8[]: each value must be a safe integer (callers validate); null as SQL NULL. */
export function encodeInt8Array(values: readonly (number | null)[]): Buffer {
  const { buffer, view } = allocate(HEADER_BYTES + values.length * (LENGTH_BYTES + 8));
  let position = writeHeader(view, values, OID.int8);
  for (const value of values) {
    if (value === null) {
      view.setInt32(position, NULL_LENGTH);
      position += LENGTH_BYTES;
      continue;
    }
    const high = Math.floor(value / TWO_POW_32);
    view.setInt32(position, 8);
    view.setInt32(position + LENGTH_BYTES, high);
    view.setUint32(position + LENGTH_BYTES + 4, value - high * TWO_POW_32);
    position += LENGTH_BYTES + 8;
  }
  return buffer.subarray(0, position);
}

/** float8[]: finite numbers (callers validate). */
export function encodeFloat8Array(values: readonly number[]): Buffer {
  const { buffer, view } = allocate(HEADER_BYTES + values.length * (LENGTH_BYTES + 8));
  let position = writeHeader(view, values, OID.float8);
  for (const value of values) {
    view.setInt32(position, 8);
    view.setFloat64(position + LENGTH_BYTES, value);
    position += LENGTH_BYTES + 8;
  }
  return buffer.subarray(0, position);
}

/** timestamptz[] from integer ms since the Unix epoch (years 1..9999, validated by callers); null as SQL NULL. */
export function encodeTimestampArray(values: readonly (number | null)[]): Buffer {
  const { buffer, view } = allocate(HEADER_BYTES + values.length * (LENGTH_BYTES + 8));
  let position = writeHeader(view, values, OID.timestamptz);
  for (const value of values) {
    if (value === null) {
      view.setInt32(position, NULL_LENGTH);
      position += LENGTH_BYTES;
      continue;
    }
    // µs = ms × 1000 exceeds 2^53 for far dates, so the int64 is built from exact 32-bit halves:
    // ms = q·2^32 + r (0 ≤ r < 2^32) ⇒ µs = (1000q + carry)·2^32 + low, where 1000r = carry·2^32 + low.
    const ms = value - POSTGRES_EPOCH_MS;
    const q = Math.floor(ms / TWO_POW_32);
    const scaledRest = (ms - q * TWO_POW_32) * 1000;
    const carry = Math.floor(scaledRest / TWO_POW_32);
    view.setInt32(position, 8);
    view.setInt32(position + LENGTH_BYTES, q * 1000 + carry);
    view.setUint32(position + LENGTH_BYTES + 4, scaledRest - carry * TWO_POW_32);
    position += LENGTH_BYTES + 8;
  }
  return buffer.subarray(0, position);
}

/** A buffer of `size` bytes (contents undefined until written) and a big-endian view on it. */
function allocate(size: number): { buffer: Buffer; view: DataView } {
  const buffer = Buffer.allocUnsafe(size);
  return { buffer, view: new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength) };
}

/** Writes the array header; returns the position of the first element. */
function writeHeader(view: DataView, values: readonly unknown[], oid: number): number {
  if (values.length === 0) {
    view.setInt32(0, 0);
    view.setInt32(4, 0);
    view.setUint32(8, oid);
    return EMPTY_HEADER_BYTES;
  }
  view.setInt32(0, 1);
  view.setInt32(4, values.includes(null) ? 1 : 0);
  view.setUint32(8, oid);
  view.setInt32(12, values.length);
  view.setInt32(16, 1);
  return HEADER_BYTES;
}
