import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../functions/shared/errors.js';
import { jsonbText } from '../../../../functions/shared/db/jsonb-text.js';
import { toJsonbText } from '../../../../functions/shared/db/text-safety.js';

describe('jsonbText', () => {
  it('gives the same text as toJsonbText for ordinary, hostile and unstorable values', () => {
    // Prepare
    const values: unknown[] = [
      { messageLength: 42, errorLevel: 1, hour: Number.NaN, big: Number.POSITIVE_INFINITY },
      [{ feature: 'level', contribution: 0.6, value: 3 }],
      { '\'; DROP TABLE anomalies; --': '{"a"}, NULL, \\', emoji: '🐘' },
      { 'key\u0000name': 'NUL\u0000inside', lone: 'x\ud800y', pair: '\ud83d\udc18' },
      'literal \\u0000 backslash text',
      null,
      [],
    ];

    // Act + Assess
    for (const value of values) expect(jsonbText(value, 'features')).toBe(toJsonbText(value, 'features'));
    expect(jsonbText({ k: 'a\u0000b' }, 'x')).toBe('{"k":"a\ufffdb"}');
  });

  it('refuses what JSON cannot represent, naming the field', () => {
    // Prepare
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;

    // Act + Assess
    expect(() => jsonbText({ big: 1n }, 'anomalies[0].features')).toThrow(ValidationError);
    expect(() => jsonbText({ big: 1n }, 'anomalies[0].features')).toThrow(/anomalies\[0\]\.features is not representable as JSON/);
    expect(() => jsonbText(cyclic, 'headers')).toThrow(/headers is not representable as JSON/);
    expect(() => jsonbText(undefined, 'contributions')).toThrow(/contributions is not representable as JSON/);
  });
});
