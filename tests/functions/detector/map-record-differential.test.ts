import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { mapRecord } from '../../../functions/detector/map-record.js';
import { createLogGenerator, Prng } from '../../../functions/producer/generator/index.js';
import { parseKafkaEvent, type KafkaRecordInput } from '../../../functions/shared/kafka/index.js';
import { LABEL_HEADER, serializeLogRecord } from '../../../functions/shared/log/index.js';
import { baselineParseKafkaEvent } from '../../../infra/bench/detector/baseline/baseline-kafka-event.js';
import { baselineMapRecord } from '../../../infra/bench/detector/baseline/baseline-map-record.js';
import { realisticKafkaEvents } from '../../../infra/bench/detector/realistic-events.js';
import { selfManagedKafkaEvent } from '../../helpers/kafka-events.js';
import { outcomeOf } from '../shared/log/differential-outcome.js';

/** mapRecord over parseKafkaEvent against the pre-fast-path pair, record by record. */
function expectSameMapping(event: unknown): void {
  const fast = outcomeOf(() => parseKafkaEvent(structuredClone(event)).records.map(mapRecord));
  const reference = outcomeOf(() => baselineParseKafkaEvent(structuredClone(event)).records.map(baselineMapRecord));
  // isDeepStrictEqual first: vitest's matcher is slow on thousands of records, and only needed for the diff.
  if (!isDeepStrictEqual(fast, reference)) expect(fast).toStrictEqual(reference);
}

const RECORD = { id: 'r-1', ts: '2026-11-24T10:00:00.000Z', service: 'api', level: 'INFO', message: 'GET /v1/orders 200 12ms', host: 'web-1' };

function oneRecordEvent(input: Partial<KafkaRecordInput>): unknown {
  return selfManagedKafkaEvent([{ topic: 'logs', partition: 0, offset: 7, timestamp: 1_700_000_000_000, value: JSON.stringify(RECORD), ...input }]);
}

describe('mapRecord against the pre-fast-path mapping', () => {
  it('agrees on a realistic event of 2,000 generated records', () => {
    // Prepare
    const [event] = realisticKafkaEvents({ recordsPerEvent: 2_000, events: 1, partitions: 4, seed: 31 });

    // Act + Assess
    expectSameMapping(event);
  });

  it.each<[string, KafkaRecordInput['headers']]>([
    ['no headers', []],
    ['a known label', [{ key: LABEL_HEADER, value: 'keyword' }]],
    ['the label of an anomaly of unknown kind', [{ key: LABEL_HEADER, value: 'anomaly' }]],
    ['a repeated, agreeing label', [{ key: LABEL_HEADER, value: 'none' }, { key: LABEL_HEADER, value: 'none' }]],
    ['conflicting labels', [{ key: LABEL_HEADER, value: 'none' }, { key: LABEL_HEADER, value: 'temporal' }]],
    ['an unknown label', [{ key: LABEL_HEADER, value: "'; DROP TABLE logs; --" }]],
    ['an empty label', [{ key: LABEL_HEADER, value: '' }]],
    ['an oversize label', [{ key: LABEL_HEADER, value: 'x'.repeat(65) }]],
    ['a label with a byte-order mark', [{ key: LABEL_HEADER, value: Buffer.from([0xef, 0xbb, 0xbf, 0x6e, 0x6f, 0x6e, 0x65]) }]],
    ['a label that is not UTF-8', [{ key: LABEL_HEADER, value: Buffer.from([0xff]) }]],
    ['a label header without a value', [{ key: LABEL_HEADER, value: null }]],
    ['a valueless label then a known one', [{ key: LABEL_HEADER, value: null }, { key: LABEL_HEADER, value: 'temporal' }]],
    ['a label in upper case', [{ key: 'X-Anomaly-Label', value: 'none' }]],
    ['other headers around the label', [{ key: 'trace', value: 'x' }, { key: LABEL_HEADER, value: 'error_spike' }, { key: 'y', value: null }]],
  ])('agrees when the label header has %s', (_name, headers) => {
    // Act + Assess
    expectSameMapping(oneRecordEvent({ headers }));
  });

  it.each<[string, Partial<KafkaRecordInput>]>([
    ['a JSON array', { value: '[1,2,3]' }],
    ['a schema violation', { value: JSON.stringify({ ...RECORD, level: 'TRACE' }) }],
    ['a nested prototype key', { value: JSON.stringify({ ...RECORD, extra: { constructor: { prototype: 1 } } }) }],
    ['invalid UTF-8', { value: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) }],
    ['a NUL in the message', { value: JSON.stringify({ ...RECORD, message: 'a\u0000b' }) }],
    ['a tombstone', { value: null }],
    ['an empty value', { value: '' }],
    ['a timestamp in year 0', { value: JSON.stringify({ ...RECORD, ts: '0000-01-01T00:00:00Z' }) }],
    ['no Kafka timestamp', { timestamp: -1, timestampType: 'NO_TIMESTAMP_TYPE' }],
    ['a Kafka timestamp past year 9999', { timestamp: 8.64e15 }],
  ])('agrees on a record with %s', (_name, input) => {
    // Act + Assess
    expectSameMapping(oneRecordEvent(input));
  });

  it('agrees on records without storable coordinates', () => {
    // Prepare
    const value = Buffer.from(JSON.stringify(RECORD)).toString('base64');
    const base = { topic: 'logs', partition: 0, offset: 1, timestamp: 0, timestampType: 'CREATE_TIME', value, headers: [] };
    const records = [{ ...base, offset: '9007199254740993' }, { ...base, offset: undefined }, { ...base, topic: undefined }, { ...base, partition: 'x' }, null];

    // Act + Assess
    expectSameMapping({ eventSource: 'SelfManagedKafka', records: { 'logs-0': records, nokey: [{ ...base, topic: undefined }] } });
  });

  it('agrees on generated records with random corruptions of their JSON', () => {
    // Prepare
    const rng = new Prng('map-record-differential');
    const generator = createLogGenerator({ anomalyRate: 0.3, seed: 4, experimentId: 'exp-map', producerId: 'p-1' });
    const corruptions = ['', '"', '{', '}', ',', '\u0000', '\\', 'é', '\ud800', ' ', 'null', '"__proto__":{},', '"seq":-1,', '"ts":"2024-02-30T00:00:00Z",'];
    const records: KafkaRecordInput[] = [];
    for (let offset = 0; offset < 1_500; offset++) {
      const generated = generator.next(Date.UTC(2026, 0, 1) + offset * 1_000);
      let text = serializeLogRecord(generated.record).toString('utf8');
      if (rng.chance(0.5)) {
        const at = 1 + rng.int(text.length - 1);
        text = text.slice(0, at) + corruptions[rng.int(corruptions.length)] + text.slice(at + (rng.chance(0.5) ? 1 : 0));
      }
      records.push({ topic: 'logs', partition: 0, offset, timestamp: Date.UTC(2026, 0, 1) + offset, key: generated.key, value: text, headers: [{ key: LABEL_HEADER, value: generated.label }] });
    }

    // Act + Assess
    expectSameMapping(selfManagedKafkaEvent(records));
  });
});
