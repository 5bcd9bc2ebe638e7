import { describe, expect, it } from 'vitest';
import { MalformedRequestError } from '../../../../infra/local-msk/errors.js';
import { Reader } from '../../../../infra/local-msk/protocol/reader.js';
import { Writer } from '../../../../infra/local-msk/protocol/writer.js';

describe('Writer and Reader', () => {
  it('round-trips every primitive in big-endian order', () => {
    // Prepare
    const writer = new Writer(4);
    writer.int8(-2).boolean(true).int16(-300).int32(123456789).uint32(0xfffffffe).int64(2n ** 40n + 7n);
    writer.string('héllo').nullableString(null).bytes(Buffer.from([1, 2, 3])).nullableBytes(null);
    writer.array([1, 2, 3], (w, n) => w.int32(n)).nullableArray(null, (w, n: number) => w.int32(n));
    writer.varint(-1).varint(300).varlong(-(2 ** 40)).varlong(0);

    // Act
    const reader = new Reader(writer.toBuffer());

    // Assess
    expect(reader.int8()).toBe(-2);
    expect(reader.boolean()).toBe(true);
    expect(reader.int16()).toBe(-300);
    expect(reader.int32()).toBe(123456789);
    expect(reader.uint32()).toBe(0xfffffffe);
    expect(reader.int64()).toBe(2 ** 40 + 7);
    expect(reader.string()).toBe('héllo');
    expect(reader.nullableString()).toBeNull();
    expect([...reader.bytes()]).toEqual([1, 2, 3]);
    expect(reader.nullableBytes()).toBeNull();
    expect(reader.array((r) => r.int32())).toEqual([1, 2, 3]);
    expect(reader.nullableArray((r) => r.int32())).toBeNull();
    expect(reader.varint()).toBe(-1);
    expect(reader.varint()).toBe(300);
    expect(reader.varlong()).toBe(-(2 ** 40));
    expect(reader.varlong()).toBe(0);
    expect(reader.remaining()).toBe(0);
  });

  it('encodes zig-zag varints as the record format specifies', () => {
    // Prepare / Act
    const bytes = new Writer().varint(0).varint(-1).varint(1).varint(-64).varint(64).toBuffer();

    // Assess: 0→00, -1→01, 1→02, -64→7f, 64→80 01
    expect(bytes.toString('hex')).toBe('0001027f8001');
  });

  it('writes the compact encodings of the flexible versions: unsigned varints, length + 1, 0 for null, empty tag buffers', () => {
    // Prepare
    const values = [0, 1, 127, 128, 16_383, 16_384, 2 ** 31, 2 ** 32 - 1];
    const long = Buffer.alloc(200, 7);

    // Act
    const varints = values.map((value) => new Writer().unsignedVarint(value).toBuffer());
    const compact = new Writer().compactNullableString('ab').compactNullableString(null).compactBytes(long).compactBytes(Buffer.alloc(0)).emptyTaggedFields().toBuffer();
    const reader = new Reader(compact);
    const readBack = [reader.compactNullableBytes()?.toString(), reader.compactNullableBytes(), reader.compactBytes().equals(long), reader.compactBytes().length];
    reader.skipTaggedFields();

    // Assess
    expect(varints.map((bytes) => bytes.toString('hex'))).toEqual(['00', '01', '7f', '8001', 'ff7f', '808001', '8080808008', 'ffffffff0f']);
    expect(varints.map((bytes) => new Reader(bytes).unsignedVarint())).toEqual(values);
    expect(compact.subarray(0, 4).toString('hex')).toBe('03616200');
    expect(readBack).toEqual(['ab', null, true, 0]);
    expect(reader.remaining()).toBe(0);
    expect(() => new Writer().compactNullableString('x'.repeat(0x8000))).toThrow(/does not fit/);
    expect(() => new Reader(Buffer.from([0x05, 0x61])).compactBytes()).toThrow(MalformedRequestError);
    expect(() => new Reader(Buffer.from([0x00])).compactBytes()).toThrow(MalformedRequestError);
  });

  it('keeps large byte blocks as separate chunks instead of copying them', () => {
    // Prepare
    const block = Buffer.alloc(4096, 7);
    const writer = new Writer();

    // Act
    writer.int32(block.length).raw(block).int16(1);
    const chunks = writer.toChunks();

    // Assess
    expect(chunks).toContain(block);
    expect(writer.length).toBe(4 + 4096 + 2);
    expect(Buffer.concat(chunks).equals(writer.toBuffer())).toBe(true);
  });

  it.each([
    ['a truncated int32', Buffer.from([0, 1]), (r: Reader) => r.int32()],
    ['a string longer than the frame', Buffer.from([0, 10, 65]), (r: Reader) => r.string()],
    ['a null non-nullable string', Buffer.from([0xff, 0xff]), (r: Reader) => r.string()],
    ['a negative string length', Buffer.from([0xff, 0xfe]), (r: Reader) => r.nullableString()],
    ['bytes longer than the frame', Buffer.from([0, 0, 1, 0, 1]), (r: Reader) => r.bytes()],
    ['an array count above the bytes left', Buffer.from([0x7f, 0xff, 0xff, 0xff]), (r: Reader) => r.array((x) => x.int8())],
    ['a negative array count', Buffer.from([0xff, 0xff, 0xff, 0xfe]), (r: Reader) => r.array((x) => x.int8())],
    ['a varint over 5 bytes', Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), (r: Reader) => r.varint()],
    ['an int64 beyond 2^53', Buffer.from([0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), (r: Reader) => r.int64()],
  ])('rejects %s with MalformedRequestError', (_name, bytes, read) => {
    // Prepare
    const reader = new Reader(bytes);

    // Act / Assess
    expect(() => read(reader)).toThrow(MalformedRequestError);
  });

  it('never reads past its end even when the buffer continues', () => {
    // Prepare: a view over the first 2 bytes of a longer buffer
    const reader = new Reader(Buffer.from([0, 0, 0, 5]), 0, 2);

    // Act / Assess
    expect(() => reader.int32()).toThrow(MalformedRequestError);
  });
});
