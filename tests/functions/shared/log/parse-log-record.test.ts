import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../functions/shared/errors.js';
import { MAX_MESSAGE_BYTES, MAX_RECORD_BYTES, parseLogRecord, serializeLogRecord, validateLogRecord, type LogRecord } from '../../../../functions/shared/log/index.js';

const realistic: LogRecord = {
  id: '0b6f2d1e-5c4a-4f3b-9a8e-7d6c5b4a3f21',
  ts: '2024-05-01T12:34:56.789Z',
  service: 'payment-service',
  level: 'INFO',
  message: 'Payment of 31.21 EUR captured for order ORD-28700341 in 83ms',
  host: 'payment-service-6f7c9d8b4-k7m2n',
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
};

function bytesOf(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

function reasonFor(input: Buffer | null): string {
  try {
    parseLogRecord(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as Error).message;
  }
  throw new Error('expected parseLogRecord to throw');
}

describe('parseLogRecord accepts', () => {
  it('a realistic record, unchanged', () => {
    // Act
    const record = parseLogRecord(bytesOf(realistic));

    // Assess
    expect(record).toEqual(realistic);
  });

  it('a minimal record without traceId, and keeps the known extra fields typed', () => {
    // Prepare
    const { traceId: _omitted, ...minimal } = realistic;
    const withExtras = { ...minimal, experimentId: 'exp-42', producerId: 'producer-1', seq: 17 };

    // Act
    const record = parseLogRecord(bytesOf(withExtras));

    // Assess
    expect(record.traceId).toBeUndefined();
    expect(record.experimentId).toBe('exp-42');
    expect(record.producerId).toBe('producer-1');
    expect(record.seq).toBe(17);
  });

  it('drops unknown fields', () => {
    // Act
    const record = parseLogRecord(bytesOf({ ...realistic, kubernetes: { pod: 'x' }, extra: 1 }));

    // Assess
    expect(Object.keys(record)).toEqual(['id', 'ts', 'service', 'level', 'message', 'host', 'traceId']);
  });

  it.each([
    ['empty', ''],
    ['unicode and emoji', 'Zahlung für Bestellung 注文 ✅ 🚀'],
    ['markup', '<script>alert(document.cookie)</script>'],
    ['RTL override marks', 'user \u202Egnp.exe\u202C uploaded'],
    ['SQL', "'; DROP TABLE logs; --"],
    ['newlines and tabs', 'line 1\n\tat line 2\r\n'],
    ['exactly 16 KiB', 'x'.repeat(MAX_MESSAGE_BYTES)],
  ])('a message that is %s', (_name, message) => {
    // Act
    const record = parseLogRecord(bytesOf({ ...realistic, message }));

    // Assess
    expect(record.message).toBe(message);
  });

  it('timestamps with any fractional precision, and a UTF-8 byte-order mark', () => {
    // Prepare
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);

    // Act
    const nanos = parseLogRecord(bytesOf({ ...realistic, ts: '2024-02-29T23:59:59.123456789Z' }));
    const whole = parseLogRecord(Buffer.concat([bom, bytesOf({ ...realistic, ts: '2024-01-01T00:00:00Z' })]));

    // Assess
    expect(nanos.ts).toBe('2024-02-29T23:59:59.123456789Z');
    expect(whole.ts).toBe('2024-01-01T00:00:00Z');
  });

  it('deeply nested unknown fields (dropped, no stack overflow)', () => {
    // Prepare
    const prefix = JSON.stringify(realistic).slice(0, -1);
    const arrays = Buffer.from(`${prefix},"deep":${'['.repeat(30_000)}${']'.repeat(30_000)}}`);
    const objects = Buffer.from(`${prefix},"deep":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`);

    // Act
    const fromArrays = parseLogRecord(arrays);
    const fromObjects = parseLogRecord(objects);

    // Assess
    expect(fromArrays).toEqual(realistic);
    expect(fromObjects).toEqual(realistic);
  });

  it('a value of exactly 64 KiB', () => {
    // Prepare
    const base = bytesOf({ ...realistic, padding: '' }).length;
    const value = bytesOf({ ...realistic, padding: 'p'.repeat(MAX_RECORD_BYTES - base) });

    // Act
    const record = parseLogRecord(value);

    // Assess
    expect(value.length).toBe(MAX_RECORD_BYTES);
    expect(record.id).toBe(realistic.id);
  });
});

describe('parseLogRecord rejects with a precise reason', () => {
  it.each([
    ['a null value', null, /empty/],
    ['an empty value', Buffer.alloc(0), /empty/],
    ['an oversize value', Buffer.alloc(MAX_RECORD_BYTES + 1, 0x20), /oversize: 65537 bytes, limit 65536/],
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), /not valid UTF-8/],
    ['a truncated UTF-8 sequence', Buffer.from([0x22, 0xe2, 0x82]), /not valid UTF-8/],
    ['text that is not JSON', Buffer.from('level=INFO msg=hello'), /not JSON/],
    ['truncated JSON', Buffer.from('{"id":"a","ts":'), /not JSON/],
    ['whitespace only', Buffer.from('   \n'), /not JSON/],
    ['a JSON array', Buffer.from('[1,2]'), /must be a JSON object, got an array/],
    ['a JSON string', Buffer.from('"hello"'), /must be a JSON object, got a string/],
    ['JSON null', Buffer.from('null'), /must be a JSON object, got null/],
  ])('%s', (_name, input, reason) => {
    // Act + Assess
    expect(reasonFor(input)).toMatch(reason);
  });

  it.each([
    ['top-level __proto__', '{"__proto__":{"polluted":true},"id":"a"}', '__proto__'],
    ['__proto__ written with unicode escapes', '{"\\u005f\\u005fproto__":{"polluted":true}}', '__proto__'],
    ['nested __proto__ in an unknown field', '{"meta":{"a":[{"__proto__":{"polluted":true}}]}}', '__proto__'],
    ['constructor', '{"constructor":{"prototype":{"polluted":true}}}', 'constructor'],
    ['prototype', '{"x":{"prototype":1}}', 'prototype'],
  ])('a forbidden key: %s', (_name, json, key) => {
    // Prepare
    const withFields = json.replace(/^\{/, `{"id":"a","ts":"2024-01-01T00:00:00Z","service":"s","level":"INFO","message":"m","host":"h",`);

    // Act
    const reason = reasonFor(Buffer.from(withFields));

    // Assess
    expect(reason).toContain(`forbidden key "${key}"`);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  const missing = (field: keyof LogRecord): Record<string, unknown> => {
    const copy: Record<string, unknown> = { ...realistic };
    delete copy[field];
    return copy;
  };

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['missing id', missing('id'), 'id', /expected string, received undefined/],
    ['empty id', { ...realistic, id: '' }, 'id', /must not be empty/],
    ['id over 128 characters', { ...realistic, id: 'i'.repeat(129) }, 'id', /at most 128/],
    ['id with a control character', { ...realistic, id: 'a\u0007b' }, 'id', /control characters/],
    ['numeric id', { ...realistic, id: 42 }, 'id', /expected string, received number/],
    ['missing ts', missing('ts'), 'ts', /ISO-8601 UTC/],
    ['ts with an offset', { ...realistic, ts: '2024-05-01T12:34:56+02:00' }, 'ts', /ISO-8601 UTC/],
    ['ts without a zone', { ...realistic, ts: '2024-05-01T12:34:56' }, 'ts', /ISO-8601 UTC/],
    ['ts on a day that does not exist', { ...realistic, ts: '2023-02-29T10:00:00Z' }, 'ts', /ISO-8601 UTC/],
    ['ts as epoch millis', { ...realistic, ts: 1714566896789 }, 'ts', /ISO-8601 UTC/],
    ['service with a space', { ...realistic, service: 'payment service' }, 'service', /letters, digits/],
    ['service with a path', { ...realistic, service: '../etc/passwd' }, 'service', /letters, digits/],
    ['service over 128 characters', { ...realistic, service: 's'.repeat(129) }, 'service', /at most 128/],
    ['empty service', { ...realistic, service: '' }, 'service', /must not be empty/],
    ['unknown level', { ...realistic, level: 'TRACE' }, 'level', /one of DEBUG, INFO, WARN, ERROR, FATAL/],
    ['lower-case level', { ...realistic, level: 'info' }, 'level', /one of DEBUG/],
    ['message over 16 KiB of UTF-8', { ...realistic, message: '€'.repeat(6000) }, 'message', /at most 16384 UTF-8 bytes/],
    ['message with NUL', { ...realistic, message: 'a\u0000b' }, 'message', /U\+0000/],
    ['message that is an object', { ...realistic, message: { text: 'x' } }, 'message', /expected string, received object/],
    ['empty host', { ...realistic, host: '' }, 'host', /must not be empty/],
    ['host over 255 characters', { ...realistic, host: 'h'.repeat(256) }, 'host', /at most 255/],
    ['empty traceId', { ...realistic, traceId: '' }, 'traceId', /must not be empty/],
    ['negative seq', { ...realistic, seq: -1 }, 'seq', /must be >= 0/],
    ['fractional seq', { ...realistic, seq: 1.5 }, 'seq', /must be an integer/],
    ['string seq', { ...realistic, seq: '7' }, 'seq', /expected number/],
  ])('%s', (_name, value, field, reason) => {
    // Act
    const message = reasonFor(bytesOf(value));

    // Assess
    expect(message).toContain(`field "${field}"`);
    expect(message).toMatch(reason);
  });

  it('lists several problems at once, and bounds the list', () => {
    // Prepare
    const value = { id: '', ts: 'x', service: ' ', level: 'X', message: 1, host: '', seq: -1 };

    // Act
    const message = reasonFor(bytesOf(value));

    // Assess
    expect(message).toContain('field "id"');
    expect(message).toContain('field "ts"');
    expect(message).toMatch(/and \d+ more$/);
  });
});

describe('serializeLogRecord', () => {
  it('round-trips through parseLogRecord with a stable key order', () => {
    // Prepare
    const record: LogRecord = { ...realistic, experimentId: 'exp-1', producerId: 'p-1', seq: 0 };

    // Act
    const bytes = serializeLogRecord(record);

    // Assess
    expect(parseLogRecord(bytes)).toEqual(record);
    expect(Object.keys(JSON.parse(bytes.toString('utf8')) as object)).toEqual(['id', 'ts', 'service', 'level', 'message', 'host', 'traceId', 'experimentId', 'producerId', 'seq']);
  });

  it('refuses a record the detector would reject, naming the field', () => {
    // Prepare
    const bad = { ...realistic, level: 'VERBOSE' } as unknown as LogRecord;

    // Act + Assess
    expect(() => serializeLogRecord(bad)).toThrow(ValidationError);
    expect(() => serializeLogRecord(bad)).toThrow(/field "level"/);
  });

  it('drops fields the schema does not know', () => {
    // Prepare
    const withExtra = { ...realistic, label: 'keyword' } as LogRecord;

    // Act
    const json = serializeLogRecord(withExtra).toString('utf8');

    // Assess
    expect(json).not.toContain('label');
  });
});

describe('validateLogRecord', () => {
  it('applies the same rules to an already-decoded value', () => {
    // Act + Assess
    expect(validateLogRecord({ ...realistic })).toEqual(realistic);
    expect(() => validateLogRecord('text')).toThrow(/must be a JSON object, got a string/);
  });
});
