import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { ErrorCode } from '../../../../../infra/local-msk/protocol/error-codes.js';
import {
  batchField,
  CompressionCodec,
  encodeRecordBatch,
  encodeRecords,
  validateProducedBatch,
} from '../../../../../infra/local-msk/protocol/record-batch/index.js';
import { errorCodeOf, kafkajsBatch, patched } from './batch-helpers.js';

const timestamp = 1_700_000_000_000;
const limits = { maxMessageBytes: 1024 * 1024 };
const records = [
  { key: 'k0', value: 'zero', timestamp, headers: [{ key: 'trace', value: 'abc' }, { key: 'empty', value: null }] },
  { key: null, value: null, timestamp: timestamp + 30 },
  { key: 'k2', value: 'two', timestamp: timestamp + 10 },
];

/** A gzip batch whose records section is `section` (already a valid or broken records encoding). */
function gzipBatchWithSection(section: Buffer, recordCount: number): Buffer {
  const template = encodeRecordBatch({ records: Array.from({ length: recordCount }, () => ({ value: 'x', timestamp })), compression: CompressionCodec.gzip });
  const compressed = gzipSync(section);
  const batch = Buffer.alloc(batchField.records + compressed.length);
  template.copy(batch, 0, 0, batchField.records);
  compressed.copy(batch, batchField.records);
  return patched(batch, (copy) => copy.writeInt32BE(copy.length - 12, batchField.batchLength));
}

describe('validateProducedBatch', () => {
  it('accepts a valid uncompressed batch, leaves its bytes alone and passes the header values on', async () => {
    // Prepare
    const batch = encodeRecordBatch({ records });
    const before = Buffer.from(batch);
    // Act
    const validated = await validateProducedBatch(batch, limits);
    // Assess
    expect(validated.bytes).toBe(batch);
    expect(batch.equals(before)).toBe(true);
    expect(validated.info).toEqual({ recordCount: 3, lastOffsetDelta: 2, firstTimestamp: timestamp, maxTimestamp: timestamp + 30 });
  });

  it('accepts what kafkajs encodes, uncompressed and gzip', async () => {
    // Prepare
    const messages = [{ key: 'a', value: 'x'.repeat(500), headers: { h: 'v' } }, { key: 'b', value: 'y'.repeat(500) }];
    const plain = await kafkajsBatch({ messages });
    const gzip = await kafkajsBatch({ messages, compression: 1 });
    // Act
    const results = [await validateProducedBatch(plain, limits), await validateProducedBatch(gzip, limits)];
    // Assess
    expect(results.map((r) => r.info.recordCount)).toEqual([2, 2]);
    expect(gzip.length).toBeLessThan(plain.length);
  });

  it('answers MESSAGE_TOO_LARGE for a batch above max.message.bytes', async () => {
    const batch = encodeRecordBatch({ records });
    expect(await errorCodeOf(() => validateProducedBatch(batch, { maxMessageBytes: batch.length - 1 }))).toBe(ErrorCode.MESSAGE_TOO_LARGE);
    expect(await errorCodeOf(() => validateProducedBatch(batch, { maxMessageBytes: batch.length }))).toBe(ErrorCode.NONE);
  });

  it('answers CORRUPT_MESSAGE when any byte covered by the CRC changes', async () => {
    // Prepare
    const batch = encodeRecordBatch({ records });
    const corrupted = Buffer.from(batch);
    corrupted[batch.length - 3] = corrupted[batch.length - 3]! ^ 0x01;
    // Act + Assess
    expect(await errorCodeOf(() => validateProducedBatch(corrupted, limits))).toBe(ErrorCode.CORRUPT_MESSAGE);
  });

  it('ignores the baseOffset and partitionLeaderEpoch, which the CRC does not cover', async () => {
    // Prepare
    const batch = encodeRecordBatch({ records });
    batch.writeBigInt64BE(99n, batchField.baseOffset);
    // Act + Assess
    expect(await errorCodeOf(() => validateProducedBatch(batch, limits))).toBe(ErrorCode.NONE);
  });

  it('answers UNSUPPORTED_COMPRESSION_TYPE for snappy, lz4 and zstd, INVALID_RECORD for codecs 5-7', async () => {
    // Prepare
    const base = encodeRecordBatch({ records });
    const withCodec = (codec: number) => patched(base, (copy) => copy.writeInt16BE(codec, batchField.attributes));
    // Act
    const codes = [];
    for (const codec of [2, 3, 4, 5, 7]) codes.push(await errorCodeOf(() => validateProducedBatch(withCodec(codec), limits)));
    // Assess
    expect(codes).toEqual([76, 76, 76, ErrorCode.INVALID_RECORD, ErrorCode.INVALID_RECORD]);
  });

  it('answers INVALID_RECORD for control batches, empty batches and a lastOffsetDelta that disagrees', async () => {
    // Prepare
    const base = encodeRecordBatch({ records });
    const control = patched(base, (copy) => copy.writeInt16BE(0x20, batchField.attributes));
    const empty = encodeRecordBatch({ records: [] });
    const delta = patched(base, (copy) => copy.writeInt32BE(5, batchField.lastOffsetDelta));
    // Act
    const codes = [];
    for (const batch of [control, empty, delta]) codes.push(await errorCodeOf(() => validateProducedBatch(batch, limits)));
    // Assess
    expect(codes).toEqual([ErrorCode.INVALID_RECORD, ErrorCode.INVALID_RECORD, ErrorCode.INVALID_RECORD]);
  });

  it('answers INVALID_RECORD when recordCount disagrees with the records present', async () => {
    // Prepare
    const base = encodeRecordBatch({ records });
    const fewer = patched(base, (copy) => {
      copy.writeInt32BE(2, batchField.recordCount);
      copy.writeInt32BE(1, batchField.lastOffsetDelta);
    });
    const more = patched(base, (copy) => {
      copy.writeInt32BE(4, batchField.recordCount);
      copy.writeInt32BE(3, batchField.lastOffsetDelta);
    });
    // Act + Assess
    expect(await errorCodeOf(() => validateProducedBatch(fewer, limits))).toBe(ErrorCode.INVALID_RECORD);
    expect(await errorCodeOf(() => validateProducedBatch(more, limits))).toBe(ErrorCode.INVALID_RECORD);
  });

  it('answers INVALID_RECORD for structural garbage inside the records', async () => {
    // Prepare
    const base = encodeRecordBatch({ records: [{ key: 'k', value: 'v', timestamp }] });
    const recordStart = batchField.records;
    const badLength = patched(base, (copy) => copy.writeUInt8(0x7e, recordStart)); // length 63, past the end
    const badOffsetDelta = patched(base, (copy) => copy.writeUInt8(0x02, recordStart + 3)); // offsetDelta 1 for record 0
    const badKeyLength = patched(base, (copy) => copy.writeUInt8(0x7e, recordStart + 4)); // key of 63 bytes
    const trailing = patched(Buffer.concat([base, Buffer.from([0x00])]), (copy) => copy.writeInt32BE(copy.length - 12, batchField.batchLength));
    // Act
    const codes = [];
    for (const batch of [badLength, badOffsetDelta, badKeyLength, trailing]) codes.push(await errorCodeOf(() => validateProducedBatch(batch, limits)));
    // Assess
    expect(codes).toEqual([ErrorCode.INVALID_RECORD, ErrorCode.INVALID_RECORD, ErrorCode.INVALID_RECORD, ErrorCode.INVALID_RECORD]);
  });

  it('checks the record count inside gzip batches too', async () => {
    // Prepare
    const section = encodeRecords(records, timestamp);
    const honest = gzipBatchWithSection(section, 3);
    const lying = gzipBatchWithSection(section, 4);
    // Act + Assess
    expect(await errorCodeOf(() => validateProducedBatch(honest, limits))).toBe(ErrorCode.NONE);
    expect(await errorCodeOf(() => validateProducedBatch(lying, limits))).toBe(ErrorCode.INVALID_RECORD);
  });

  it('stops a gzip bomb at the decompression bound with INVALID_RECORD', async () => {
    // Prepare: 8 MiB of zeros compress to a few KiB
    const bomb = gzipBatchWithSection(Buffer.alloc(8 * 1024 * 1024), 1);
    // Act
    const code = await errorCodeOf(() => validateProducedBatch(bomb, { maxMessageBytes: 1024 * 1024, maxDecompressedBytes: 1024 * 1024 }));
    // Assess
    expect(bomb.length).toBeLessThan(64 * 1024);
    expect(code).toBe(ErrorCode.INVALID_RECORD);
  });

  it('answers CORRUPT_MESSAGE for a gzip section that is not gzip', async () => {
    // Prepare
    const base = encodeRecordBatch({ records });
    const notGzip = patched(base, (copy) => copy.writeInt16BE(1, batchField.attributes));
    // Act + Assess
    expect(await errorCodeOf(() => validateProducedBatch(notGzip, limits))).toBe(ErrorCode.CORRUPT_MESSAGE);
  });
});
