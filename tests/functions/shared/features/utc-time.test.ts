import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../functions/shared/errors.js';
import { utcTimeOfDay } from '../../../../functions/shared/features/utc-time.js';

/** The rule utcTimeOfDay implements, as a regular expression: the reference it must agree with. */
function referenceTimeOfDay(ts: string): { hour: number; minute: number } | 'refused' {
  const match = /^\d{4}-\d{2}-\d{2}T(\d{2}):(\d{2}):\d{2}/.exec(ts);
  if (match === null || !ts.endsWith('Z')) return 'refused';
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  return hour < 24 && minute < 60 ? { hour, minute } : 'refused';
}

function outcome(ts: string): { hour: number; minute: number } | 'refused' {
  try {
    const { hour, minute } = utcTimeOfDay(ts);
    return { hour, minute };
  } catch (error) {
    if (error instanceof ValidationError) return 'refused';
    throw error;
  }
}

describe('utcTimeOfDay', () => {
  it.each([
    ['2024-05-01T14:07:31Z', { hour: 14, minute: 7 }],
    ['2024-05-01T00:00:00.000Z', { hour: 0, minute: 0 }],
    ['9999-12-31T23:59:59.999999Z', { hour: 23, minute: 59 }],
    ['0001-01-01T23:59:60Z', { hour: 23, minute: 59 }],
  ])('reads the UTC hour and minute of %s', (ts, expected) => {
    // Act + Assess
    expect(utcTimeOfDay(ts)).toEqual(expected);
  });

  it.each([
    '', 'Z', '2024-05-01T14:07:31', '2024-05-01T14:07:31+02:00', '2024-05-01T24:00:00Z', '2024-05-01T12:60:00Z',
    '2024-05-01 14:07:31Z', '2024-05-01T14:07Z', '2024-05-01T1:07:31Z', '2024/05/01T14:07:31Z',
    '2024-05-01T١٤:07:31Z', '２０２４-05-01T14:07:31Z', '-2024-05-01T14:07:31Z', 'yesterday',
  ])('refuses %j with a ValidationError naming the field', (ts) => {
    // Act + Assess
    expect(() => utcTimeOfDay(ts)).toThrow(ValidationError);
    expect(() => utcTimeOfDay(ts)).toThrow(/field "ts"/);
  });

  it('agrees with the regular-expression rule on thousands of mutated timestamps', () => {
    // Prepare: valid timestamps with one character replaced, removed or appended, from a fixed seed
    const alphabet = ['0', '5', '9', '2', '-', ':', 'T', 'Z', '.', ' ', '+', '/', 'a', '٣', '０', '\u0000', '\uD800'];
    let seed = 12345;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const inputs: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const base = `20${String(next(100)).padStart(2, '0')}-0${1 + next(9)}-1${next(10)}T${String(next(30)).padStart(2, '0')}:${String(next(70)).padStart(2, '0')}:0${next(10)}${next(2) ? '.123' : ''}Z`;
      const at = next(base.length + 1);
      const kind = next(3);
      const char = alphabet[next(alphabet.length)]!;
      inputs.push(kind === 0 ? base.slice(0, at) + char + base.slice(at + 1) : kind === 1 ? base.slice(0, at) + base.slice(at + 1) : base + (next(2) ? char : ''));
    }

    // Act + Assess
    for (const ts of inputs) expect(outcome(ts), ts).toEqual(referenceTimeOfDay(ts));
  });
});
