import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../../../infra/local-msk/protocol/error-codes.js';
import {
  batchField,
  encodeRecordBatch,
  hasValidCrc,
  readBatchHeader,
  splitRecordBatches,
} from '../../../../../infra/local-msk/protocol/record-batch/index.js';
import { errorCodeOf, kafkajsBatch, patched } from './batch-helpers.js';

const timestamp = 1_700_000_000_000;

describe('readBatchHeader', () => {
  it('reads every header field of a batch kafkajs encodes', async () => {
    // Prepare
    const batch = await kafkajsBatch({
      messages: [
        { key: 'a', value: '1', timestamp },
        { key: 'b', value: '2', timestamp: timestamp + 9 },
      ],
      compression: 1,
      producerId: 4242,
      producerEpoch: 3,
      firstSequence: 17,
      transactional: true,
    });
    // Act
    const header = readBatchHeader(batch);
    // Assess
    expect(header).toEqual({
      baseOffset: 0,
      batchLength: batch.length - 12,
      partitionLeaderEpoch: 0,
      magic: 2,
      crc: batch.readUInt32BE(batchField.crc),
      attributes: 0x11,
      compression: 1,
      timestampType: 'CreateTime',
      isTransactional: true,
      isControl: false,
      lastOffsetDelta: 1,
      firstTimestamp: timestamp,
      maxTimestamp: timestamp + 9,
      producerId: 4242,
      producerEpoch: 3,
      baseSequence: 17,
      recordCount: 2,
    });
    expect(hasValidCrc(batch)).toBe(true);
  });

  it('reads the timestamp-type and control bits and negative 64-bit fields', () => {
    // Prepare
    const batch = encodeRecordBatch({ records: [{ value: 'x', timestamp }], extraAttributes: 0x08 | 0x20, baseOffset: 123456789012 });
    // Act
    const header = readBatchHeader(batch);
    // Assess
    expect(header).toMatchObject({ timestampType: 'LogAppendTime', isControl: true, producerId: -1, baseSequence: -1, baseOffset: 123456789012 });
  });

  it('refuses fewer bytes than a header', () => {
    expect(() => readBatchHeader(Buffer.alloc(60))).toThrow(RangeError);
  });
});

describe('splitRecordBatches', () => {
  const one = encodeRecordBatch({ records: [{ key: 'k', value: 'first', timestamp }] });
  const two = encodeRecordBatch({ records: [{ value: 'second', timestamp }, { value: 'third', timestamp }] });

  it('cuts a blob into its batches without copying', () => {
    // Prepare
    const blob = Buffer.concat([one, two]);
    // Act
    const batches = splitRecordBatches(blob);
    // Assess
    expect(batches.map((b) => b.length)).toEqual([one.length, two.length]);
    expect(batches[1]!.equals(two)).toBe(true);
    expect(batches[1]!.buffer).toBe(blob.buffer);
  });

  it('rejects an empty blob as INVALID_RECORD', async () => {
    expect(await errorCodeOf(() => splitRecordBatches(Buffer.alloc(0)))).toBe(ErrorCode.INVALID_RECORD);
  });

  it('rejects trailing bytes shorter than a header as CORRUPT_MESSAGE', async () => {
    expect(await errorCodeOf(() => splitRecordBatches(Buffer.concat([one, Buffer.alloc(20)])))).toBe(ErrorCode.CORRUPT_MESSAGE);
  });

  it('rejects a batch whose length reaches past the blob as CORRUPT_MESSAGE', async () => {
    // Prepare
    const lying = Buffer.from(one);
    lying.writeInt32BE(one.length, batchField.batchLength);
    // Act + Assess
    expect(await errorCodeOf(() => splitRecordBatches(lying))).toBe(ErrorCode.CORRUPT_MESSAGE);
  });

  it('rejects a declared length shorter than the header as CORRUPT_MESSAGE', async () => {
    // Prepare
    const short = Buffer.from(one);
    short.writeInt32BE(10, batchField.batchLength);
    // Act + Assess
    expect(await errorCodeOf(() => splitRecordBatches(short))).toBe(ErrorCode.CORRUPT_MESSAGE);
  });

  it('rejects magic 0 and 1 message sets as INVALID_RECORD with a clear message', () => {
    // Prepare
    const old = patched(one, (copy) => copy.writeInt8(1, batchField.magic));
    // Act + Assess
    expect(() => splitRecordBatches(old)).toThrow(/magic 1.*only record format v2/);
  });
});
