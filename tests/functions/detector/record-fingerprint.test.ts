import { describe, expect, it } from 'vitest';
import { recordFingerprint } from '../../../functions/detector/record-fingerprint.js';
import { parseKafkaEvent, type DecodedKafkaRecord } from '../../../functions/shared/kafka/index.js';
import { loadEventFixture } from '../../helpers/kafka-events.js';

const RECORD = { key: Buffer.from('checkout'), value: Buffer.from('{"id":"r-1","message":"order 1001 paid"}'), timestamp: 1_714_564_800_000 };

describe('recordFingerprint: what makes two deliveries the same record', () => {
  it('is the same for a redelivery of the same event, decoded afresh', () => {
    // Prepare
    const decode = () => parseKafkaEvent(loadEventFixture('msk-event')).records as DecodedKafkaRecord[];

    // Act
    const first = decode().map(recordFingerprint);
    const again = decode().map(recordFingerprint);

    // Assess: equal per record, different between records, all in [0, 2^53)
    expect(again).toEqual(first);
    expect(new Set(first).size).toBe(first.length);
    expect(first.every((fingerprint) => Number.isSafeInteger(fingerprint) && fingerprint >= 0)).toBe(true);
  });

  it('differs when the key, the value or the timestamp differs, by a single bit or byte', () => {
    // Prepare
    const base = recordFingerprint(RECORD);
    const flipped = Buffer.from(RECORD.value);
    flipped[7]! ^= 0x01;

    // Act
    const variants = [
      recordFingerprint({ ...RECORD, value: flipped }),
      recordFingerprint({ ...RECORD, value: Buffer.concat([RECORD.value, Buffer.from(' ')]) }),
      recordFingerprint({ ...RECORD, key: Buffer.from('checkouT') }),
      recordFingerprint({ ...RECORD, key: null }),
      recordFingerprint({ ...RECORD, key: Buffer.alloc(0) }),
      recordFingerprint({ ...RECORD, timestamp: RECORD.timestamp + 1 }),
      recordFingerprint({ ...RECORD, timestamp: -1 }),
      // The same bytes split differently between key and value.
      recordFingerprint({ ...RECORD, key: Buffer.from('checkou'), value: Buffer.concat([Buffer.from('t'), RECORD.value]) }),
    ];

    // Assess
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
  });

  it('does not depend on where the bytes sit in memory (a Buffer slice of a larger one)', () => {
    // Prepare
    const pool = Buffer.concat([Buffer.from('xyz'), RECORD.value, Buffer.from('tail')]);
    const slice = pool.subarray(3, 3 + RECORD.value.length);

    // Act + Assess
    expect(recordFingerprint({ ...RECORD, value: slice })).toBe(recordFingerprint(RECORD));
  });
});
