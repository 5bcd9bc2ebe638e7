import { describe, expect, it } from 'vitest';
import { logRecordSchema } from '../../../../functions/shared/log/log-record.js';
import { isUtcDatetime } from '../../../../functions/shared/log/utc-datetime.js';

/** The reference: what logRecordSchema's `ts` (zod's z.iso.datetime()) accepts. */
const zodAccepts = (text: string): boolean => logRecordSchema.shape.ts.safeParse(text).success;

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

describe('isUtcDatetime against z.iso.datetime()', () => {
  it('agrees on every day-of-month from 00 to 32 of every month 00–13, in leap, common and century years', () => {
    // Prepare
    const years = [0, 4, 100, 400, 1600, 1700, 1800, 1900, 1999, 2000, 2023, 2024, 2100, 2400, 9996, 9999];
    let accepted = 0;

    // Act + Assess
    for (const year of years) {
      for (let month = 0; month <= 13; month++) {
        for (let day = 0; day <= 32; day++) {
          const text = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T12:00:00Z`;
          expect(isUtcDatetime(text), text).toBe(zodAccepts(text));
          if (zodAccepts(text)) accepted++;
        }
      }
    }
    expect(accepted).toBe(years.length * 365 + years.filter((year) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)).length);
  });

  it('agrees on February 29 of every year 0000–9999', () => {
    for (let year = 0; year <= 9999; year++) {
      const text = `${pad(year, 4)}-02-29T00:00:00.000Z`;
      expect(isUtcDatetime(text), text).toBe(zodAccepts(text));
    }
  });

  it('agrees on every hour, minute and second around the limits, leap second included', () => {
    for (const hour of [0, 9, 10, 19, 20, 23, 24, 25, 29, 30, 99]) {
      for (const minute of [0, 9, 59, 60, 61, 99]) {
        for (const second of [0, 30, 59, 60, 61, 99]) {
          const text = `2024-05-01T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}.5Z`;
          expect(isUtcDatetime(text), text).toBe(zodAccepts(text));
        }
      }
    }
  });

  it.each([
    '2024-05-01T12:34:56.789Z', '2024-05-01T12:34:56Z', '2024-05-01T12:34:56.1Z', '2024-05-01T12:34:56.123456789012Z',
    '2024-05-01T12:34:56.Z', '2024-05-01T12:34:56.789z', '2024-05-01t12:34:56.789Z', '2024-05-01 12:34:56.789Z', '2024-05-01T12:34:56.789',
    '2024-05-01T12:34:56.789+01:00', '2024-05-01T12:34:56.789-00:00', '2024-05-01T12:34:56+0100', '2024-05-01T12:34Z', '2024-05-01T12Z',
    '2024-05-01', '12:34:56Z', '+002024-05-01T12:34:56Z', '-2024-05-01T12:34:56Z', '20240-05-01T12:34:56Z', '24-05-01T12:34:56Z',
    '2024-5-01T12:34:56Z', '2024-05-1T12:34:56Z', '2024/05/01T12:34:56Z', '2024-05-01T12-34-56Z', '2024-05-01T12:34:56,789Z',
    '２０２４-05-01T12:34:56Z', '٢٠٢٤-05-01T12:34:56Z', '2024-05-01T12:34:56.٧Z', ' 2024-05-01T12:34:56Z', '2024-05-01T12:34:56Z ',
    '2024-05-01T12:34:56Z\n', '2024-05-01T12:34:56ZZ', '2024-05-01T12:34:56.7.8Z', '2024-05-01T12:34:56.-1Z', '2024-05-01T12:34:56.+1Z',
    '', 'Z', 'T', '0000-00-00T00:00:00Z', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', '2024-05-01T12:34:5\u0000Z',
    'aaaa-bb-ccTdd:ee:ffZ', '2024-05-01T12:34:56.\u0660Z', '2024-05-01T12:34:56Z\u0000',
  ])('agrees on %j', (text) => {
    // Act + Assess
    expect(isUtcDatetime(text)).toBe(zodAccepts(text));
  });

  it('agrees on every single-character substitution of a valid timestamp', () => {
    // Prepare: every position replaced by every printable ASCII character and a few others
    const valid = '2024-02-29T23:59:59.123Z';
    const replacements = [...Array.from({ length: 95 }, (_, code) => String.fromCharCode(32 + code)), '\u0000', '\u00e9', '\uff10', '\u0660'];

    // Act + Assess
    for (let index = 0; index < valid.length; index++) {
      for (const replacement of replacements) {
        const text = valid.slice(0, index) + replacement + valid.slice(index + 1);
        expect(isUtcDatetime(text), text).toBe(zodAccepts(text));
      }
    }
  });
});
