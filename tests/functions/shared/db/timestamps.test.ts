import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../functions/shared/errors.js';
import { requireTimestamp, requireTimestampMs } from '../../../../functions/shared/db/input-checks.js';
import { instantMs, isCanonicalIso, MAX_STORABLE_MS, MIN_STORABLE_MS } from '../../../../functions/shared/db/timestamps.js';

/** The rule before the fast path: new Date(value), refused outside UTC years 1..9999. */
function referenceMs(value: string): number {
  const date = new Date(value);
  const year = date.getUTCFullYear();
  return Number.isNaN(date.getTime()) || year < 1 || year > 9999 ? Number.NaN : date.getTime();
}

describe('timestamp checks', () => {
  it('read the canonical form exactly as Date.parse does, including leap days and the ends of the range', () => {
    // Prepare
    const canonical = ['2024-02-29T23:59:59.999Z', '2000-02-29T00:00:00.000Z', '1000-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z', '1970-01-01T00:00:00.000Z'];

    // Act + Assess
    for (const text of canonical) {
      expect(isCanonicalIso(text)).toBe(true);
      expect(instantMs(text)).toBe(Date.parse(text));
      expect(requireTimestamp(text, 'ts')).toBe(text);
    }
  });

  it('never pass an impossible calendar date as it is: it keeps the meaning new Date() gives it', () => {
    // Prepare: V8 rolls these over (Feb 30 → Mar 1); PostgreSQL would refuse the text as written
    const impossible = ['2024-02-30T00:00:00.000Z', '2023-02-29T00:00:00.000Z', '2100-02-29T00:00:00.000Z', '2024-04-31T00:00:00.000Z', '2024-01-01T24:00:00.000Z'];

    // Act + Assess
    for (const text of impossible) {
      expect(isCanonicalIso(text)).toBe(false);
      expect(requireTimestamp(text, 'ts')).not.toBe(text);
      expect(requireTimestamp(text, 'ts')).toBe(new Date(text).toISOString());
      expect(requireTimestampMs(text, 'ts')).toBe(referenceMs(text));
    }
    expect(requireTimestamp('2024-02-30T00:00:00.000Z', 'ts')).toBe('2024-03-01T00:00:00.000Z');
  });

  it('agree with the old rule on other forms and on values it refuses', () => {
    // Prepare
    const texts = [
      '2024-05-01T12:00:00.123456Z', '2024-05-01T12:00:00Z', '2024-05-01T12:00:00+02:00', '2024-05-01', '0999-12-31T23:59:59.999Z',
      '0001-01-01T00:00:00.000Z', '0000-12-31T23:59:59.999Z', '+010000-01-01T00:00:00.000Z', '-000001-01-01T00:00:00.000Z',
      '2024-05-01T12:60:00.000Z', '2024-05-01T12:00:60.000Z', '2024-13-01T00:00:00.000Z', '2024-05-01T12:00:00.00xZ', 'yesterday', '',
    ];

    // Act + Assess
    for (const text of texts) expect(instantMs(text)).toEqual(referenceMs(text));
  });

  it('agree with the old rule on 20,000 random canonical-looking strings, valid or not', () => {
    // Prepare: a small deterministic generator, fields drawn slightly beyond their ranges
    let state = 12345;
    const draw = (n: number): number => {
      state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
      return state % n;
    };
    const pad = (value: number, width: number): string => String(value).padStart(width, '0');
    const texts = Array.from({ length: 20_000 }, () =>
      `${pad(draw(10_000), 4)}-${pad(draw(14), 2)}-${pad(draw(33), 2)}T${pad(draw(25), 2)}:${pad(draw(61), 2)}:${pad(draw(61), 2)}.${pad(draw(1_000), 3)}Z`,
    );

    // Act
    const mismatches = texts.filter((text) => !Object.is(instantMs(text), referenceMs(text)));

    // Assess
    expect(mismatches).toEqual([]);
  });

  it('take Dates by their instant and refuse anything else with the field named', () => {
    // Act + Assess
    expect(requireTimestampMs(new Date(MIN_STORABLE_MS), 'ts')).toBe(MIN_STORABLE_MS);
    expect(requireTimestampMs(new Date(MAX_STORABLE_MS), 'ts')).toBe(MAX_STORABLE_MS);
    expect(() => requireTimestampMs(new Date(MAX_STORABLE_MS + 1), 'logs[0].ts')).toThrow(/logs\[0\]\.ts is not a valid timestamp between years 1 and 9999/);
    expect(() => requireTimestampMs(new Date(Number.NaN), 'ts')).toThrow(ValidationError);
    expect(() => requireTimestampMs(1_700_000_000_000, 'logs[0].ts')).toThrow(/logs\[0\]\.ts must be a Date or an ISO 8601 string \(got number\)/);
    expect(() => requireTimestampMs(null, 'ts')).toThrow(/must be a Date or an ISO 8601 string \(got null\)/);
    expect(() => requireTimestampMs('x'.repeat(100_000), 'ts')).toThrow(/is not a valid timestamp/);
  });
});
