import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Prng } from '../../../../../functions/producer/generator/index.js';
import { buildKafkaEvent, parseKafkaEvent, type KafkaEventWire } from '../../../../../functions/shared/kafka/index.js';
import { baselineParseKafkaEvent } from '../../../../../infra/bench/detector/baseline/baseline-kafka-event.js';
import { realisticKafkaEvents } from '../../../../../infra/bench/detector/realistic-events.js';
import { keyOrderOf, outcomeOf } from '../../log/differential-outcome.js';

/** The current parser against the pre-fast-path one, on a fresh clone each (as the worker receives events). */
function expectSameParse(event: unknown): void {
  const fast = outcomeOf(() => parseKafkaEvent(structuredClone(event)));
  const reference = outcomeOf(() => baselineParseKafkaEvent(structuredClone(event)));
  // isDeepStrictEqual first: vitest's matcher is slow on thousands of records, and only needed for the diff.
  if (!isDeepStrictEqual(fast, reference)) expect(fast).toStrictEqual(reference);
  if ('returned' in fast && 'returned' in reference) {
    expect(fast.returned.records.map((record) => Object.keys(record))).toEqual(reference.returned.records.map((record) => Object.keys(record)));
  }
  expect(keyOrderOf(fast)).toEqual(keyOrderOf(reference));
}

const bytes = (count: number, value = 7): number[] => new Array<number>(count).fill(value);
const oversizeBase64 = Buffer.alloc(64 * 1024 + 1, 0x61).toString('base64');
const maxSizeBase64 = Buffer.alloc(64 * 1024, 0x61).toString('base64');

/** Replacement values for each field of a wire record; `undefined` removes the field. */
const FIELD_VARIANTS: Record<string, readonly unknown[]> = {
  topic: [undefined, '', 'logs!', 'x'.repeat(249), 'x'.repeat(250), 123, 'other', 'logs', null, ['logs']],
  partition: [undefined, '0', '00', '-1', 1.5, -1, 2 ** 31 - 1, 2 ** 31, '2147483647', '2147483648', null, 1, '1', '12345678901', ' 0', -0],
  offset: [undefined, '42', '0042', '9223372036854775807', '9223372036854775808', '99999999999999999999', 2 ** 53 - 1, 2 ** 53, -1, 1.5, '1e3', 'abc', '', null, 0, -0],
  timestamp: [undefined, -1, -2, '1700000000000', '-1', 8.64e15, 8.64e15 + 1, 1.5, null, 'x', '17000000000000000', 0],
  timestampType: [undefined, 'create_time', 'CREATE_TIME', 'LOG_APPEND_TIME', 'NO_TIMESTAMP_TYPE', 1, null, ''],
  key: [undefined, null, 123, '', 'YXBp', 'YXBp=', 'YX-p', 'YXBp\n', 'YQ', 'YQ==', 'YR==', Buffer.alloc(4097).toString('base64'), Buffer.alloc(4096).toString('base64')],
  value: [undefined, null, 123, '', 'eyJ9', 'ey J9', 'e_J9', 'eyJ9=', 'eyJ', '=eyJ', oversizeBase64, maxSizeBase64, `${maxSizeBase64}AAAA`, { base64: true }],
  headers: [
    undefined, null, {}, 'x', [null], [[]], [{}], [{ '': [1] }], [{ ['k'.repeat(256)]: [1] }], [{ ['k'.repeat(257)]: [1] }], [{ k: null }], [{ k: 'abc' }],
    [{ k: [256] }], [{ k: [-1] }], [{ k: [1.5] }], [{ k: ['1'] }], [{ k: [Number.NaN] }], [{ k: [-0] }], [{ k: [0, 255] }], [{ k: bytes(4096) }], [{ k: bytes(4097) }],
    [{ k: [] }], [{ a: [1], b: [2] }], [{ b: [1], 1: [2], a: [3] }], Array.from({ length: 64 }, () => ({ k: [1] })), Array.from({ length: 65 }, () => ({ k: [1] })),
    [{ 'x-anomaly-label': [...Buffer.from('none')] }, { 'x-anomaly-label': [...Buffer.from('keyword')] }], [{ k: [1, null] }], [{ k: { 0: 1, length: 1 } }],
  ],
};

const WHOLE_RECORD_VARIANTS: readonly unknown[] = [null, [], 'record', 5, true];

function mutateRecord(record: Record<string, unknown>, rng: Prng): unknown {
  if (rng.chance(0.03)) return WHOLE_RECORD_VARIANTS[rng.int(WHOLE_RECORD_VARIANTS.length)];
  const fields = Object.keys(FIELD_VARIANTS);
  const field = fields[rng.int(fields.length)]!;
  const variants = FIELD_VARIANTS[field]!;
  const replacement = variants[rng.int(variants.length)];
  const copy = { ...record };
  if (replacement === undefined) delete copy[field];
  else copy[field] = replacement;
  return copy;
}

const SOURCE_EVENT = realisticKafkaEvents({ recordsPerEvent: 400, events: 1, partitions: 3, seed: 9 })[0]!;

/** A slice of a realistic event with a share of its records mutated, groups and records shuffled. */
function hostileEvent(rng: Prng): KafkaEventWire {
  const records: Record<string, unknown[]> = {};
  const start = rng.int(120);
  const groups = Object.entries(SOURCE_EVENT.records).slice(rng.int(3)).map(([key, group]) => [key, group.slice(start, start + 1 + rng.int(12))] as const);
  if (rng.chance(0.3)) groups.reverse();
  for (const [key, group] of groups) {
    const mutated: unknown[] = group.map((record) => (rng.chance(0.4) ? mutateRecord(record as unknown as Record<string, unknown>, rng) : record));
    if (rng.chance(0.3)) mutated.reverse();
    records[key] = mutated;
  }
  return { ...SOURCE_EVENT, records } as unknown as KafkaEventWire;
}

describe('parseKafkaEvent against the pre-fast-path parser', () => {
  it('agrees on realistic events of 2,000 records', () => {
    // Prepare
    const [event] = realisticKafkaEvents({ recordsPerEvent: 2_000, events: 1, partitions: 4, seed: 77 });

    // Act + Assess
    expectSameParse(event);
  });

  it('agrees when every field of a record takes every hostile value', () => {
    // Prepare
    const event = realisticKafkaEvents({ recordsPerEvent: 1, events: 1, partitions: 1, seed: 5 })[0]!;
    const [slot, group] = Object.entries(event.records)[0]!;
    const record = group[0] as unknown as Record<string, unknown>;

    // Act + Assess
    for (const [field, variants] of Object.entries(FIELD_VARIANTS)) {
      for (const variant of variants) {
        const copy = { ...record };
        if (variant === undefined) delete copy[field];
        else copy[field] = variant;
        expectSameParse({ ...event, records: { [slot]: [copy] } });
      }
    }
    for (const variant of WHOLE_RECORD_VARIANTS) expectSameParse({ ...event, records: { [slot]: [variant] } });
  });

  it('agrees on records-map keys and groups of every shape', () => {
    // Prepare
    const event = realisticKafkaEvents({ recordsPerEvent: 2, events: 1, partitions: 1, seed: 6 })[0]!;
    const group = Object.values(event.records)[0]!;

    // Act + Assess
    for (const key of ['logs-0', 'logs-1', 'logs', '-0', 'logs-x', 'logs-01', 'my-logs-0', 'lo gs-0', '', 'logs-2147483648']) {
      expectSameParse({ ...event, records: { [key]: group } });
      expectSameParse({ ...event, records: { [key]: {} } });
    }
    expectSameParse({ ...event, records: { 'logs-0': group, 'logs-1': 'not an array', 'other-0': [] } });
  });

  it('agrees on thousands of hostile events (mutated records, shuffled partitions and offsets)', () => {
    // Prepare
    const rng = new Prng('kafka-event-differential');

    // Act + Assess
    for (let round = 0; round < 2_000; round++) expectSameParse(hostileEvent(rng));
  });

  it('agrees on events that are refused as a whole', () => {
    // Prepare
    const event = buildKafkaEvent({ eventSource: 'SelfManagedKafka', bootstrapServers: ['k:9092'] }, [{ topic: 'logs', partition: 0, offset: 1, timestamp: 0, value: '{}' }]);

    // Act + Assess
    for (const hostile of [null, [], 'event', { ...event, eventSource: 'aws:sqs' }, { ...event, eventSource: 'aws:kafka' }, { ...event, records: [] }, { ...event, bootstrapServers: 5 }]) {
      expectSameParse(hostile);
    }
    expectSameParse(event);
    expect(outcomeOf(() => parseKafkaEvent(event, { maxRecords: 0 }))).toStrictEqual(outcomeOf(() => baselineParseKafkaEvent(event, { maxRecords: 0 })));
  });
});
