import { describe, expect, it } from 'vitest';
import { encodeLeanBatch, type LeanRecord } from '../../../../infra/bench/pipeline/lean-batch.js';
import { decodeRecordBatch, encodeRecordBatch, hasValidCrc } from '../../../../infra/local-msk/protocol/record-batch/index.js';

describe('encodeLeanBatch', () => {
  it('writes the same bytes as the general RecordBatch encoder, for short, long, multi-byte and header-less records', async () => {
    // Prepare: lengths around the one/two/three-byte varint edges (63/64, 8191/8192 zig-zagged).
    const records: LeanRecord[] = [
      { key: 'api-gateway', value: Buffer.from('{"message":"short"}'), headers: [{ key: 'x-anomaly-label', value: 'normal' }] },
      { key: '', value: Buffer.alloc(0), headers: [] },
      { key: 'k'.repeat(63), value: Buffer.alloc(64, 'v'), headers: [{ key: 'h'.repeat(64), value: 'é'.repeat(40) }] },
      { key: 'ключ', value: Buffer.alloc(8191, 'x'), headers: [{ key: 'a', value: '' }, { key: 'b', value: '✓' }] },
      { key: 'big', value: Buffer.alloc(8192 * 3, 'y'), headers: [] },
    ];
    const timestampMs = Date.UTC(2026, 11, 5, 7, 0, 0, 123);

    // Act
    const lean = encodeLeanBatch(records, timestampMs);
    const general = encodeRecordBatch({ records, firstTimestamp: timestampMs });

    // Assess
    expect(lean.equals(general)).toBe(true);
    expect(hasValidCrc(lean)).toBe(true);
    const decoded = await decodeRecordBatch(lean);
    expect(decoded.records.map((record) => record.value?.length)).toEqual([19, 0, 64, 8191, 24576]);
  });
});
