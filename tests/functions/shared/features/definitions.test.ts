import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../functions/shared/errors.js';
import { extractFeatures, featureDefinitions, featureNames, fnv1a32, serviceHash01 } from '../../../../functions/shared/features/index.js';
import { MAX_MESSAGE_BYTES, type LogRecord } from '../../../../functions/shared/log/index.js';
import { logRecord } from './record-fixture.js';

/** The value of one named feature for a record. */
function feature(name: string, record: LogRecord): number {
  const column = featureNames.indexOf(name);
  expect(column).toBeGreaterThanOrEqual(0);
  return extractFeatures(record)[column] as number;
}

const hostileMessages: ReadonlyArray<[string, string]> = [
  ['empty', ''],
  ['huge (16 KiB)', 'a'.repeat(MAX_MESSAGE_BYTES)],
  ['unicode', 'Zahlung für Bestellung 注文 ✅ 🚀'],
  ['markup', '<script>alert(1)</script>'],
  ['RTL marks', '\u202Eexe.gnp\u202C \u200F\u200E'],
  ['control characters', '\u0001\u0002\u001b[31m\u007f'],
  ['lone surrogates', '\ud800\udfff\ud800'],
];

describe('feature registry', () => {
  it('has the seed system’s seven features, in order, with unique snake_case names', () => {
    // Assess
    expect(featureNames).toEqual(['service', 'level', 'message_length', 'has_error_keyword', 'has_warning_keyword', 'hour', 'minute']);
    expect(new Set(featureNames).size).toBe(featureNames.length);
    for (const definition of featureDefinitions) {
      expect(definition.name).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(definition.description.length).toBeGreaterThan(10);
      expect(definition.encoding.length).toBeGreaterThan(3);
    }
  });

  it.each(hostileMessages)('gives finite values for a %s message', (_name, message) => {
    // Act
    const row = extractFeatures(logRecord({ message }));

    // Assess
    expect(row).toHaveLength(featureNames.length);
    for (const value of row) expect(Number.isFinite(value)).toBe(true);
  });
});

describe('service', () => {
  it('is FNV-1a 32 over the name, scaled to [0, 1)', () => {
    // Assess: published FNV-1a test vectors, then pinned values so a stored model stays valid
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
    expect(feature('service', logRecord({ service: 'api-gateway' }))).toBe(0.8172477819025517);
    expect(feature('service', logRecord({ service: 'payment-service' }))).toBe(0.38513783528469503);
  });

  it('needs no vocabulary: a never-seen service gets a value in [0, 1) that differs from known ones', () => {
    // Prepare
    const known = ['api-gateway', 'user-service', 'payment-service', 'inventory-service', 'notification-service', 'auth-service'].map(serviceHash01);

    // Act
    const unseen = feature('service', logRecord({ service: 'crypto-miner' }));

    // Assess
    expect(unseen).toBeGreaterThanOrEqual(0);
    expect(unseen).toBeLessThan(1);
    expect(known).not.toContain(unseen);
    expect(new Set(known).size).toBe(known.length);
  });
});

describe('level', () => {
  it.each([
    ['DEBUG', 0],
    ['INFO', 1],
    ['WARN', 2],
    ['ERROR', 3],
    ['FATAL', 4],
  ] as const)('encodes %s as %i', (level, ordinal) => {
    // Act + Assess
    expect(feature('level', logRecord({ level }))).toBe(ordinal);
  });
});

describe('message_length', () => {
  it.each([
    ['', 0],
    ['hello', 5],
    ['a'.repeat(MAX_MESSAGE_BYTES), MAX_MESSAGE_BYTES],
    ['注文', 2],
    ['🚀', 2],
    ['<script>alert(1)</script>', 25],
    ['a\u202Eb', 3],
  ])('counts UTF-16 code units of %j', (message, length) => {
    // Act + Assess
    expect(feature('message_length', logRecord({ message }))).toBe(length);
  });
});

describe('has_error_keyword', () => {
  it.each([
    'Payment declined: provider error 502',
    'java.lang.NullPointerException at Foo.bar',
    'Login FAILED for user 1',
    'Request failure after 3 attempts',
    'FATAL: out of memory',
    'critical section held too long',
    'Upstream timeout after 5000ms',
    'connection timed out',
    'kernel panic - not syncing',
    'terminated by SEGFAULT',
    'reason OOMKilled',
    'IOError: broken pipe',
    '<script>alert("error")</script>',
  ])('is 1 for %j', (message) => {
    // Act + Assess
    expect(feature('has_error_keyword', logRecord({ message }))).toBe(1);
  });

  it.each([
    '',
    'User 42 logged in from 10.0.0.1',
    'Payment of 31.21 EUR captured',
    'er\u200Bror with a zero-width space inside',
    'e r r o r spelled out',
    'x'.repeat(MAX_MESSAGE_BYTES),
  ])('is 0 for %j', (message) => {
    // Act + Assess
    expect(feature('has_error_keyword', logRecord({ message }))).toBe(0);
  });
});

describe('has_warning_keyword', () => {
  it.each([
    'WARNING: disk 85% full',
    'API v1 is deprecated, use v2',
    'retry 3 of 5',
    'Slow upstream response: 900ms',
    'service degraded',
    'client throttled',
    'exponential backoff 400ms',
    'HIGH LATENCY on shard 3',
  ])('is 1 for %j', (message) => {
    // Act + Assess
    expect(feature('has_warning_keyword', logRecord({ message }))).toBe(1);
  });

  it.each(['', 'User 42 logged in', '\u202Ewarn\u202C'.replace('warn', 'wa\u200Brn'), 'Reserved 3 units of SKU-1'])('is 0 for %j', (message) => {
    // Act + Assess
    expect(feature('has_warning_keyword', logRecord({ message }))).toBe(0);
  });
});

describe('hour and minute', () => {
  it.each([
    ['2024-05-01T00:00:00Z', 0, 0],
    ['2024-05-01T03:04:05.678Z', 3, 4],
    ['2024-05-01T14:07:31.250Z', 14, 7],
    ['2024-12-31T23:59:59.999999999Z', 23, 59],
  ])('reads %s as hour %i, minute %i (UTC)', (ts, hour, minute) => {
    // Act
    const record = logRecord({ ts });

    // Assess
    expect(feature('hour', record)).toBe(hour);
    expect(feature('minute', record)).toBe(minute);
  });

  it.each(['2024-05-01T14:07:31+02:00', 'yesterday', '2024-05-01T25:00:00Z', ''])('refuses an unvalidated record with ts %j', (ts) => {
    // Act + Assess
    expect(() => extractFeatures(logRecord({ ts }))).toThrow(ValidationError);
    expect(() => extractFeatures(logRecord({ ts }))).toThrow(/field "ts"/);
  });
});
