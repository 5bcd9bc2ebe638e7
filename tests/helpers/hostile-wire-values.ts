import fc from 'fast-check';
import { encodeRecordBatch } from '../../infra/local-msk/protocol/record-batch/encoder.js';
import type { GrammarPrimitive } from './kafka-request-grammar.js';

/**
 * Encoded Kafka field values at and beyond their limits, as fast-check arbitraries of the
 * exact bytes a field puts on the wire. Most choices are still ordinary values, so that a
 * request gets past decoding often enough to reach the handler's logic.
 */

/** Names a hostile request may use besides boundary values; never the data a test protects. */
export interface OrdinaryNames {
  /** Existing topics a request may change (create partitions, delete, produce, commit on). */
  topics: readonly string[];
  groups: readonly string[];
}

const int8Limits = [0, 1, -1, 127, -128];
const int16Limits = [0, 1, -1, 0x7fff, -0x8000];
/** 10,000 and 30,000 are session and rebalance timeouts a group accepts, so joins can get further. */
const int32Limits = [0, 1, -1, 2, 10_000, 30_000, 0x7fffffff, -0x80000000];
const int64Limits = [0n, 1n, -1n, -2n, 2n ** 53n - 1n, -(2n ** 53n) + 1n];
/** Beyond the ±2^53 the broker supports for offsets and timestamps (the request is then malformed). */
const int64BeyondSafe = [2n ** 53n, 2n ** 63n - 1n, -(2n ** 63n)];

export function int8(): fc.Arbitrary<Buffer> {
  return fc.oneof(fc.constantFrom(...int8Limits), fc.integer({ min: -128, max: 127 })).map((value) => fixed(1, (b) => b.writeInt8(value)));
}

export function int16(): fc.Arbitrary<Buffer> {
  return fc.oneof(fc.constantFrom(...int16Limits), fc.integer({ min: -0x8000, max: 0x7fff })).map((value) => fixed(2, (b) => b.writeInt16BE(value)));
}

export function int32(): fc.Arbitrary<Buffer> {
  return fc
    .oneof(fc.constantFrom(...int32Limits), fc.integer({ min: -0x80000000, max: 0x7fffffff }))
    .map((value) => fixed(4, (b) => b.writeInt32BE(value)));
}

export function int64(): fc.Arbitrary<Buffer> {
  return fc
    .oneof(
      { weight: 6, arbitrary: fc.constantFrom(...int64Limits) },
      { weight: 3, arbitrary: fc.bigInt({ min: -(2n ** 53n) + 1n, max: 2n ** 53n - 1n }) },
      { weight: 1, arbitrary: fc.constantFrom(...int64BeyondSafe) },
    )
    .map((value) => fixed(8, (b) => b.writeBigInt64BE(value)));
}

/** Any byte: Kafka only defines 0 and 1. */
export function boolean(): fc.Arbitrary<Buffer> {
  return fc.constantFrom(0, 1, 0xff).map((value) => Buffer.of(value));
}

/** The longest STRING, 32767 bytes, in ASCII, in two-byte characters, and as bytes that are not UTF-8. */
export const maxLengthAscii = Buffer.alloc(0x7fff, 'a');
export const maxLengthTwoByteUtf8 = Buffer.concat([Buffer.from('é'.repeat(16383), 'utf8'), Buffer.from('a')]);
export const maxLengthInvalidUtf8 = Buffer.alloc(0x7fff, 0xff);
/** The client id kafka-python sends happily and that once made member ids too long. */
export const longClientId = Buffer.alloc(32_740, 'k');
/** Bytes that are not UTF-8: a lone continuation byte, an overlong NUL, an encoded surrogate, a truncated sequence. */
const invalidUtf8Samples = [Buffer.of(0x80), Buffer.of(0xc0, 0x80), Buffer.of(0x61, 0xed, 0xa0, 0x80), Buffer.of(0xe2, 0x82)];
/** Topic names at Kafka's limit of 249 characters and one beyond. */
const topicAtLimit = Buffer.alloc(249, 't');
const topicBeyondLimit = Buffer.alloc(250, 't');

/** A STRING / NULLABLE_STRING field: ordinary names, limits, non-UTF-8, null, bad lengths. */
export function string(names: OrdinaryNames, nullable: boolean): fc.Arbitrary<Buffer> {
  const ordinary = fc.constantFrom('', 'a', 'consumer', 'range', ...names.topics, ...names.groups).map((text) => lengthPrefixed(Buffer.from(text, 'utf8')));
  // Weighted so that most requests still decode: each field that breaks the grammar ends the request there.
  return fc.oneof(
    { weight: 20, arbitrary: ordinary },
    { weight: 4, arbitrary: fc.constantFrom(maxLengthAscii, maxLengthTwoByteUtf8, maxLengthInvalidUtf8, longClientId, topicAtLimit, topicBeyondLimit).map(lengthPrefixed) },
    { weight: 3, arbitrary: fc.constantFrom(...invalidUtf8Samples).map(lengthPrefixed) },
    { weight: nullable ? 4 : 1, arbitrary: fc.constant(int16Of(-1)) }, // null, also where it is not allowed
    { weight: 1, arbitrary: fc.constantFrom(-2, -0x8000).map(int16Of) }, // negative lengths
    { weight: 1, arbitrary: fc.constant(Buffer.concat([int16Of(0x7fff), Buffer.from('abc')])) }, // longer than the frame
  );
}

/** A BYTES / RECORDS field: a valid record batch, empty, random, null, bad lengths. */
export function bytes(): fc.Arbitrary<Buffer> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(int32Prefixed(validBatch)) },
    { weight: 2, arbitrary: fc.uint8Array({ maxLength: 64 }).map((random) => int32Prefixed(Buffer.from(random))) },
    { weight: 1, arbitrary: fc.constant(int32Prefixed(Buffer.alloc(0))) },
    { weight: 1, arbitrary: fc.constantFrom(-1, -2, -0x80000000).map(int32Of) },
    { weight: 1, arbitrary: fc.constant(Buffer.concat([int32Of(0x7fffffff), Buffer.from('abcd')])) },
  );
}

/** COMPACT_BYTES (flexible versions): unsigned varint length + 1, then the bytes. */
export function compactBytes(): fc.Arbitrary<Buffer> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('n,,n=app,r=fuzz-nonce', 'c=biws,r=fuzz-nonce,p=AAAA', '\u0000app\u0000password').map((text) => uvarintPrefixed(Buffer.from(text, 'utf8'))) },
    { weight: 2, arbitrary: fc.uint8Array({ maxLength: 64 }).map((random) => uvarintPrefixed(Buffer.from(random))) },
    { weight: 1, arbitrary: fc.constant(uvarintPrefixed(Buffer.alloc(0))) },
    { weight: 1, arbitrary: fc.constant(Buffer.of(0)) }, // null, where it is not allowed
    { weight: 1, arbitrary: fc.constant(Buffer.concat([unsignedVarintOf(0x7fffffff), Buffer.from('abcd')])) }, // longer than the frame
    { weight: 1, arbitrary: fc.constant(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01])) }, // a varint longer than 5 bytes
  );
}

/** TAG_BUFFER (flexible versions): mostly empty, else tagged fields this broker must skip, or counts and sizes that lie. */
export function tagBuffer(): fc.Arbitrary<Buffer> {
  return fc.oneof(
    { weight: 12, arbitrary: fc.constant(Buffer.of(0)) },
    { weight: 2, arbitrary: fc.tuple(fc.integer({ min: 0, max: 0x7fff }), fc.uint8Array({ maxLength: 16 })).map(([tag, data]) => Buffer.concat([Buffer.of(1), unsignedVarintOf(tag), uvarintPrefixedRaw(Buffer.from(data))])) },
    { weight: 1, arbitrary: fc.constantFrom(5, 0x7fffffff).map((count) => unsignedVarintOf(count)) }, // fields that are not there
    { weight: 1, arbitrary: fc.constant(Buffer.concat([Buffer.of(1, 0), unsignedVarintOf(0x7fffffff)])) }, // a field longer than the frame
  );
}

/** An ARRAY field: a few elements, or null, a negative count, or a count the elements do not back. */
export function array(element: fc.Arbitrary<Buffer>): fc.Arbitrary<Buffer> {
  const elements = fc.array(element, { maxLength: 2 });
  return fc.oneof(
    { weight: 16, arbitrary: elements.map((items) => Buffer.concat([int32Of(items.length), ...items])) },
    { weight: 1, arbitrary: fc.constant(int32Of(-1)) },
    { weight: 1, arbitrary: fc.constantFrom(-2, -0x80000000).map(int32Of) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(3, 0x7fffffff), element).map(([count, item]) => Buffer.concat([int32Of(count), item])) },
  );
}

export function primitive(type: GrammarPrimitive, names: OrdinaryNames): fc.Arbitrary<Buffer> {
  switch (type) {
    case 'INT8':
      return int8();
    case 'INT16':
      return int16();
    case 'INT32':
      return int32();
    case 'INT64':
      return int64();
    case 'BOOLEAN':
      return boolean();
    case 'STRING':
      return string(names, false);
    case 'NULLABLE_STRING':
      return string(names, true);
    case 'BYTES':
    case 'RECORDS':
      return bytes();
    case 'COMPACT_BYTES':
      return compactBytes();
    case 'TAG_BUFFER':
      return tagBuffer();
  }
}

const validBatch = encodeRecordBatch({
  records: [{ key: 'fuzz-key', value: 'fuzz-value', timestamp: 1_700_000_000_000 }],
  firstTimestamp: 1_700_000_000_000,
});

export function int16Of(value: number): Buffer {
  return fixed(2, (b) => b.writeInt16BE(value));
}

export function int32Of(value: number): Buffer {
  return fixed(4, (b) => b.writeInt32BE(value));
}

/** Unsigned varint, as the flexible versions write lengths, counts and tags. */
export function unsignedVarintOf(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

/** COMPACT_BYTES / COMPACT_STRING framing: length + 1. */
function uvarintPrefixed(content: Buffer): Buffer {
  return Buffer.concat([unsignedVarintOf(content.length + 1), content]);
}

/** A tagged field's data: its plain length (no + 1). */
function uvarintPrefixedRaw(content: Buffer): Buffer {
  return Buffer.concat([unsignedVarintOf(content.length), content]);
}

function lengthPrefixed(content: Buffer): Buffer {
  return Buffer.concat([int16Of(content.length), content]);
}

function int32Prefixed(content: Buffer): Buffer {
  return Buffer.concat([int32Of(content.length), content]);
}

function fixed(size: number, write: (buffer: Buffer) => void): Buffer {
  const buffer = Buffer.alloc(size);
  write(buffer);
  return buffer;
}
