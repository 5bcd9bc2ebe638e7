import { describe, expect, it } from 'vitest';
import { CompressionCodec, decodeRecordBatch, encodeRecordBatch } from '../../../../../infra/local-msk/protocol/record-batch/index.js';
import { kafkajsBatch, kafkajsDecode } from './batch-helpers.js';

const timestamp = 1_700_000_000_000;

describe('decodeRecordBatch', () => {
  it('decodes keys, values, null fields, headers and timestamps of a kafkajs gzip batch', async () => {
    // Prepare
    const batch = await kafkajsBatch({
      messages: [
        { key: 'user-1', value: 'login', timestamp, headers: { source: 'web', region: 'eu' } },
        { key: null, value: 'anonymous', timestamp: timestamp + 250 },
      ],
      compression: 1,
    });
    batch.writeBigInt64BE(40n, 0); // as the log stores it
    // Act
    const { header, records } = await decodeRecordBatch(batch);
    // Assess
    expect(header.compression).toBe(1);
    expect(records.map((r) => ({ offset: r.offset, key: r.key?.toString() ?? null, value: r.value?.toString(), timestamp: r.timestamp }))).toEqual([
      { offset: 40, key: 'user-1', value: 'login', timestamp },
      { offset: 41, key: null, value: 'anonymous', timestamp: timestamp + 250 },
    ]);
    expect(records[0]!.headers.map((h) => [h.key, h.value?.toString()])).toEqual([
      ['source', 'web'],
      ['region', 'eu'],
    ]);
  });

  it('gives every record the batch maxTimestamp in a LogAppendTime batch', async () => {
    // Prepare
    const batch = encodeRecordBatch({ records: [{ value: 'a', timestamp }, { value: 'b', timestamp: timestamp + 7 }], extraAttributes: 0x08 });
    // Act
    const { records } = await decodeRecordBatch(batch);
    // Assess
    expect(records.map((r) => r.timestamp)).toEqual([timestamp + 7, timestamp + 7]);
  });
});

describe('encodeRecordBatch', () => {
  for (const compression of [CompressionCodec.none, CompressionCodec.gzip]) {
    it(`writes batches kafkajs decodes (${compression === 0 ? 'uncompressed' : 'gzip'})`, async () => {
      // Prepare
      const records = [
        { key: 'k', value: Buffer.from([0, 1, 2, 255]), timestamp: timestamp + 3, headers: [{ key: 'h', value: 'v' }] },
        { key: null, value: 'second', timestamp },
      ];
      // Act
      const batch = encodeRecordBatch({ records, compression, baseOffset: 10, producerId: 7, producerEpoch: 1, baseSequence: 4 });
      const decoded = await kafkajsDecode(batch);
      // Assess
      expect(decoded).toMatchObject({ firstOffset: '10', firstTimestamp: String(timestamp), maxTimestamp: String(timestamp + 3), producerId: '7', producerEpoch: 1, firstSequence: 4 });
      expect(decoded.records.map((r: any) => [r.offset, r.key?.toString() ?? null, r.timestamp])).toEqual([
        ['10', 'k', String(timestamp + 3)],
        ['11', null, String(timestamp)],
      ]);
      expect(decoded.records[0].value.equals(Buffer.from([0, 1, 2, 255]))).toBe(true);
      expect(decoded.records[0].headers.h.toString()).toBe('v');
    });
  }
});
