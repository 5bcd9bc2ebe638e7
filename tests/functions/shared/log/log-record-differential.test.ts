import { describe, expect, it } from 'vitest';
import { createLogGenerator, Prng } from '../../../../functions/producer/generator/index.js';
import { acceptCommonLogRecord, COMMON_RECORD_FIELDS } from '../../../../functions/shared/log/common-log-record.js';
import { logRecordSchema } from '../../../../functions/shared/log/log-record.js';
import { parseLogRecord, validateLogRecord, validateLogRecordReference } from '../../../../functions/shared/log/parse-log-record.js';
import type { LogRecord } from '../../../../functions/shared/log/index.js';
import { baselineParseLogRecord } from '../../../../infra/bench/detector/baseline/baseline-map-record.js';
import { keyOrderOf, outcomeOf } from './differential-outcome.js';

/** Records as the producer writes them: every anomaly kind, with experiment and producer ids. */
function generatedRecords(count: number, seed: number): LogRecord[] {
  const generator = createLogGenerator({ anomalyRate: 0.3, seed, experimentId: 'exp-diff', producerId: 'producer-7' });
  const start = Date.UTC(2026, 2, 1, 0, 0, 0);
  return Array.from({ length: count }, (_, index) => generator.next(start + index * 977).record);
}

const FIELDS = Object.keys(logRecordSchema.shape);

/** Values that sit on or just past a rule of logRecordSchema, or have the wrong type. */
const HOSTILE_VALUES: readonly unknown[] = [
  '', 'a', 'x'.repeat(128), 'x'.repeat(129), 'x'.repeat(255), 'x'.repeat(256), 'a\u0000b', 'a\u001fb', 'a\u007fb', 'a\tb', 'a\nb', 'a\rb',
  'ü', '😀', '\ud800', 'a b', 'a/b', 'payment-service', 'ok.name_1-2', 'Ünïcode', 'INFO', 'info', 'TRACE', 'FATAL', 'DEBUG', 'INFO ',
  'x'.repeat(16_384), 'x'.repeat(16_385), 'é'.repeat(8_192), 'é'.repeat(8_193), '€'.repeat(5_461), '€'.repeat(5_462),
  '😀'.repeat(4_096), '😀'.repeat(4_097), '\ud800'.repeat(5_461), '\ud800'.repeat(5_462), `${'x'.repeat(6_000)}\u0000`,
  '2024-05-01T12:34:56.789Z', '2024-05-01T12:34:56Z', '2024-02-29T00:00:00Z', '2023-02-29T00:00:00Z', '2024-02-30T10:00:00Z',
  '2024-05-01T23:59:60Z', '2024-05-01T12:34:56.789+01:00', '2024-05-01T12:34:56.789z', '2024-05-01 12:34:56Z', '2024-05-01T12:34Z',
  '2024-05-01T12:34:56.Z', '2024-05-01T24:00:00Z', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59.999999999Z', '2024-05-01',
  null, true, false, 0, -0, 1, -1, 1.5, 17, 2 ** 53 - 1, 2 ** 53, 1e308, -1e308, Number.NaN, Number.POSITIVE_INFINITY, '17',
  [], ['x'], {}, { a: 1 }, undefined,
];

/** Extra top-level keys, as JSON text so that __proto__ arrives as an own key the way JSON.parse makes it. */
const EXTRA_KEYS_JSON: readonly string[] = [
  '"extra":1', '"extra":{"a":1}', '"extra":[1,2]', '"__proto__":{"polluted":true}', '"__proto__":1', '"constructor":1', '"prototype":"x"',
  '"a":{"b":{"__proto__":1}}', '"a":[{"constructor":{}}]', '"a":{"b":{"c":{"prototype":null}}}', '"kubernetes":{"pod":"p-1","labels":{"app":"x"}}',
  '"level2":"INFO"', '"": "empty key"', '"seq2":1e400',
];

function withField(record: Record<string, unknown>, field: string, value: unknown): Record<string, unknown> {
  const copy = { ...record };
  if (value === undefined) delete copy[field];
  else copy[field] = value;
  return copy;
}

/** The same record, keys in a random order (the output order must not depend on it). */
function shuffled(record: Record<string, unknown>, rng: Prng): Record<string, unknown> {
  const entries = Object.entries(record);
  for (let index = entries.length - 1; index > 0; index--) {
    const other = rng.int(index + 1);
    [entries[index], entries[other]] = [entries[other]!, entries[index]!];
  }
  return Object.fromEntries(entries);
}

function jsonWithExtraKey(record: Record<string, unknown>, extra: string): string {
  const json = JSON.stringify(record);
  return json === '{}' ? `{${extra}}` : `{${extra},${json.slice(1)}`;
}

/** Fast path (validateLogRecord) against the reference (findForbiddenKey + zod): same value, same key order, or the same error. */
function expectSameValidation(value: unknown): void {
  const fast = outcomeOf(() => validateLogRecord(value));
  const reference = outcomeOf(() => validateLogRecordReference(value));
  expect(fast).toStrictEqual(reference);
  expect(keyOrderOf(fast)).toEqual(keyOrderOf(reference));
}

/** parseLogRecord against the pre-fast-path decoder (TextDecoder + JSON.parse + reference validator). */
function expectSameParse(bytes: Buffer | Uint8Array | null): void {
  const fast = outcomeOf(() => parseLogRecord(bytes));
  const reference = outcomeOf(() => baselineParseLogRecord(bytes));
  expect(fast).toStrictEqual(reference);
  expect(keyOrderOf(fast)).toEqual(keyOrderOf(reference));
}

describe('log record fast path against the zod reference', () => {
  it('is written for the fields logRecordSchema has, in its order (change both together)', () => {
    // Assess
    expect(Object.keys(logRecordSchema.shape)).toEqual(COMMON_RECORD_FIELDS);
  });

  it('takes the fast path for every record the producer generates, with the reference result', () => {
    // Prepare
    const records = generatedRecords(3_000, 11);

    // Act
    const accepted = records.map((record) => acceptCommonLogRecord(JSON.parse(JSON.stringify(record)) as object));

    // Assess
    accepted.forEach((record, index) => {
      expect(record).toBeDefined();
      expect(record).toStrictEqual(validateLogRecordReference(records[index]));
      expect(Object.keys(record!)).toEqual(Object.keys(validateLogRecordReference(records[index])));
    });
  });

  it('agrees on every field set to every hostile value, and with the field missing', () => {
    // Prepare
    const base = generatedRecords(1, 3)[0] as Record<string, unknown>;

    // Act + Assess
    for (const field of [...FIELDS, 'unknownField']) {
      for (const value of HOSTILE_VALUES) {
        const record = withField(base, field, value);
        expectSameValidation(record);
        expectSameParse(Buffer.from(JSON.stringify(record), 'utf8'));
      }
    }
  });

  it('agrees on extra keys at any depth, prototype-pollution keys included', () => {
    // Prepare
    const base = generatedRecords(1, 5)[0] as Record<string, unknown>;

    // Act + Assess
    for (const extra of EXTRA_KEYS_JSON) {
      const text = jsonWithExtraKey(base, extra);
      expectSameValidation(JSON.parse(text));
      expectSameParse(Buffer.from(text, 'utf8'));
    }
  });

  it('agrees on thousands of randomly mutated records (1–3 mutations each, keys shuffled)', () => {
    // Prepare
    const rng = new Prng('log-record-differential');
    const bases = generatedRecords(200, 17) as Array<Record<string, unknown>>;
    let fastAccepted = 0;

    // Act + Assess
    for (let round = 0; round < 4_000; round++) {
      let record: Record<string, unknown> = { ...bases[rng.int(bases.length)]! };
      const mutations = 1 + rng.int(3);
      for (let step = 0; step < mutations; step++) {
        const field = rng.chance(0.9) ? FIELDS[rng.int(FIELDS.length)]! : 'extra';
        record = withField(record, field, HOSTILE_VALUES[rng.int(HOSTILE_VALUES.length)]);
      }
      if (rng.chance(0.5)) record = shuffled(record, rng);
      const text = rng.chance(0.2) ? jsonWithExtraKey(record, EXTRA_KEYS_JSON[rng.int(EXTRA_KEYS_JSON.length)]!) : JSON.stringify(record);
      expectSameValidation(JSON.parse(text));
      expectSameParse(Buffer.from(text, 'utf8'));
      if (acceptCommonLogRecord(JSON.parse(text) as object) !== undefined) fastAccepted++;
    }
    // Some mutations keep a record valid (e.g. an id of 128 characters): the fast path must take part.
    expect(fastAccepted).toBeGreaterThan(100);
  });

  it('agrees on values that are not JSON objects at all', () => {
    // Act + Assess
    for (const value of [null, undefined, 0, 'text', true, [], [{}], Object.create(null) as object, new Date(0), Buffer.from('{}')]) {
      expectSameValidation(value);
    }
  });

  it('agrees on hand-built objects JSON cannot produce: undefined values, inherited and non-plain fields', () => {
    // Prepare
    const base = generatedRecords(1, 9)[0] as Record<string, unknown>;
    const inherited = Object.create({ traceId: 'from-prototype' }) as Record<string, unknown>;
    Object.assign(inherited, base);
    delete inherited.traceId;
    const inheritedUndefined = Object.create({ seq: undefined }) as Record<string, unknown>;
    Object.assign(inheritedUndefined, base);
    delete inheritedUndefined.seq;
    const nullPrototype = Object.assign(Object.create(null) as Record<string, unknown>, base);

    // Act + Assess
    for (const value of [{ ...base, traceId: undefined }, { ...base, seq: undefined }, { ...base, id: undefined }, inherited, inheritedUndefined, nullPrototype]) {
      expectSameValidation(value);
    }
  });
});

describe('log record bytes: UTF-8 decoding against the fatal TextDecoder', () => {
  const valid = Buffer.from(JSON.stringify(generatedRecords(1, 21)[0]), 'utf8');
  const nonAscii = Buffer.from(JSON.stringify({ ...generatedRecords(1, 22)[0], message: 'Zahlung für Bestellung 注文 ✅ 🚀' }), 'utf8');
  const bom = Buffer.from([0xef, 0xbb, 0xbf]);

  it.each<[string, Buffer | Uint8Array | null]>([
    ['ASCII', valid],
    ['non-ASCII UTF-8', nonAscii],
    ['a byte-order mark before ASCII', Buffer.concat([bom, valid])],
    ['a byte-order mark before non-ASCII', Buffer.concat([bom, nonAscii])],
    ['two byte-order marks', Buffer.concat([bom, bom, valid])],
    ['a lone byte-order mark', bom],
    ['a Uint8Array rather than a Buffer', new Uint8Array(nonAscii)],
    ['a Uint8Array view into a larger buffer', new Uint8Array(Buffer.concat([Buffer.from('xx'), valid]).buffer, 2, valid.length)],
    ['an invalid byte 0xff', Buffer.concat([valid.subarray(0, 20), Buffer.from([0xff]), valid.subarray(20)])],
    ['an overlong encoding of "/"', Buffer.concat([valid.subarray(0, 20), Buffer.from([0xc0, 0xaf]), valid.subarray(20)])],
    ['an encoded UTF-16 surrogate', Buffer.concat([valid.subarray(0, 20), Buffer.from([0xed, 0xa0, 0x80]), valid.subarray(20)])],
    ['a truncated sequence at the end', Buffer.concat([valid, Buffer.from([0xe2, 0x82])])],
    ['a code point above U+10FFFF', Buffer.concat([valid.subarray(0, 20), Buffer.from([0xf4, 0x90, 0x80, 0x80]), valid.subarray(20)])],
    ['Latin-1 text that is not UTF-8', Buffer.from('{"message":"caf\u00e9"}', 'latin1')],
    ['empty', Buffer.alloc(0)],
    ['null', null],
    ['over 64 KiB', Buffer.alloc(64 * 1024 + 1, 0x20)],
    ['not JSON', Buffer.from('{"id": ')],
    ['NUL bytes', Buffer.from([0x00, 0x00])],
    ['a JSON string', Buffer.from('"text"')],
  ])('same result for %s', (_name, bytes) => {
    // Act + Assess
    expectSameParse(bytes);
  });
});
