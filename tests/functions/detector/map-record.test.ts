import { describe, expect, it } from 'vitest';
import { MAX_DEAD_LETTER_RAW_BYTES } from '../../../functions/detector/dead-letter-mapping.js';
import { mapRecord, type MappedRecord } from '../../../functions/detector/map-record.js';
import { parseKafkaEvent, type KafkaRecordInput } from '../../../functions/shared/kafka/index.js';
import { LABEL_HEADER } from '../../../functions/shared/log/index.js';
import { selfManagedKafkaEvent } from '../../helpers/kafka-events.js';

const RECORD = { id: 'r-1', ts: '2026-11-24T10:00:00.000Z', service: 'api', level: 'INFO', message: 'GET /v1/orders 200 12ms', host: 'web-1' };

/** Maps the one record an event of `input` holds, through the real event parser. */
function mapOne(input: Partial<KafkaRecordInput> = {}): MappedRecord {
  const event = selfManagedKafkaEvent([{ topic: 'logs', partition: 0, offset: 7, timestamp: 1_700_000_000_000, value: JSON.stringify(RECORD), ...input }]);
  return mapRecord(parseKafkaEvent(event).records[0]!);
}

function asLog(mapped: MappedRecord) {
  if (mapped.kind !== 'log') throw new Error(`expected a log, got ${JSON.stringify(mapped)}`);
  return mapped;
}

describe('mapRecord', () => {
  it('turns a valid record into a scorable log with its record, label and produce time', () => {
    // Act
    const log = asLog(mapOne({ headers: [{ key: LABEL_HEADER, value: 'keyword' }] }));

    // Assess
    expect(log.coordinates).toEqual({ topic: 'logs', partition: 0, offset: 7 });
    expect(log.log).toMatchObject({ logId: 'r-1', message: RECORD.message, label: 'keyword', traceId: null, experimentId: null });
    expect(log.log.producedAt).toEqual(new Date(1_700_000_000_000));
    expect(log.record).toMatchObject({ id: 'r-1', message: RECORD.message });
    expect(log.kafkaTimestamp).toBe(1_700_000_000_000);
  });

  it.each([
    ['no label header', [], null, false],
    ['a repeated, agreeing label', [{ key: LABEL_HEADER, value: 'none' }, { key: LABEL_HEADER, value: 'none' }], 'none', false],
    ['conflicting labels', [{ key: LABEL_HEADER, value: 'none' }, { key: LABEL_HEADER, value: 'temporal' }], null, true],
    ['an unknown label', [{ key: LABEL_HEADER, value: "'; DROP TABLE logs; --" }], null, true],
    ['a label header without a value', [{ key: LABEL_HEADER, value: null }], null, false],
  ])('keeps the log when the label header has %s (label %j)', (_name, headers, label, refused) => {
    // Act
    const log = asLog(mapOne({ headers }));

    // Assess
    expect(log.log.label).toBe(label);
    expect(log.labelRefused).toBe(refused);
  });

  it('has no produce time for a record sent without a timestamp', () => {
    // Act
    const log = asLog(mapOne({ timestamp: -1, timestampType: 'NO_TIMESTAMP_TYPE' }));

    // Assess
    expect(log.kafkaTimestamp).toBeNull();
    expect(log.log.producedAt).toBeNull();
  });

  it.each([
    ['a JSON array', '[1,2,3]', /must be a JSON object, got an array/],
    ['a missing field', JSON.stringify({ ...RECORD, host: undefined }), /field "host"/],
    ['a nested prototype key', JSON.stringify({ ...RECORD, extra: { constructor: { prototype: 1 } } }), /forbidden key "constructor"/],
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), /not valid UTF-8/],
    ['a NUL in the message', JSON.stringify({ ...RECORD, message: 'a\u0000b' }), /U\+0000/],
  ])('dead-letters %s with the reason and the bytes as they arrived', (_name, value, reason) => {
    // Act
    const mapped = mapOne({ value, key: 'api', headers: [{ key: 'trace', value: 'x' }] });

    // Assess
    if (mapped.kind !== 'dead-letter') throw new Error(`expected a dead letter, got ${mapped.kind}`);
    expect(mapped.letter).toMatchObject({ topic: 'logs', partition: 0, offset: 7, component: 'detector', reason: expect.stringMatching(reason) });
    expect(mapped.letter.rawValue).toEqual(Buffer.isBuffer(value) ? value : Buffer.from(value));
    expect(mapped.letter.rawKey).toEqual(Buffer.from('api'));
    expect(mapped.letter.headers).toEqual([{ key: 'trace', valueBase64: Buffer.from('x').toString('base64') }]);
  });

  it('caps the raw JSON of an undecodable record and says so in the reason', () => {
    // Prepare: a value far over the decoder's 64 KiB cap, so the record cannot be decoded
    const event = selfManagedKafkaEvent([{ topic: 'logs', partition: 0, offset: 7, timestamp: 0, value: Buffer.alloc(200 * 1024, 0x61) }]);

    // Act
    const mapped = mapRecord(parseKafkaEvent(event).records[0]!);

    // Assess
    if (mapped.kind !== 'dead-letter') throw new Error(`expected a dead letter, got ${mapped.kind}`);
    expect(mapped.letter.rawValue?.length).toBe(MAX_DEAD_LETTER_RAW_BYTES);
    expect(mapped.letter.reason).toMatch(/decodes to more than 65536 bytes.*\(raw value cut to 131072 of \d+ bytes\)$/);
  });

  it('reports a record whose offset is beyond 2^53 as unaddressable instead of storing it under a wrong offset', () => {
    // Prepare
    const event = { eventSource: 'SelfManagedKafka', records: { 'logs-0': [{ topic: 'logs', partition: 0, offset: '9007199254740993', timestamp: 0, timestampType: 'CREATE_TIME', value: Buffer.from(JSON.stringify(RECORD)).toString('base64'), headers: [] }] } };

    // Act
    const mapped = mapRecord(parseKafkaEvent(event).records[0]!);

    // Assess
    expect(mapped).toEqual({ kind: 'unaddressable', reason: 'offset 9007199254740993 is above 2^53-1 and cannot be stored', topic: 'logs', partition: 0 });
  });
});
