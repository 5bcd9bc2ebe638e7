import { ValidationError } from '../errors.js';

/** Hour (0–23) and minute (0–59) of a timestamp, in UTC. */
export interface UtcTimeOfDay {
  readonly hour: number;
  readonly minute: number;
}

// The record schema guarantees `YYYY-MM-DDTHH:MM:SS[.fff…]Z`; read the digits directly (exact, no
// Date, no RegExp match: this runs for every record scored).
const DIGIT_AT = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];
const SEPARATOR_AT: ReadonlyArray<readonly [number, number]> = [[4, 0x2d], [7, 0x2d], [10, 0x54], [13, 0x3a], [16, 0x3a]]; // - - T : :

export function utcTimeOfDay(ts: string): UtcTimeOfDay {
  if (hasIsoUtcShape(ts)) {
    const hour = digitAt(ts, 11) * 10 + digitAt(ts, 12);
    const minute = digitAt(ts, 14) * 10 + digitAt(ts, 15);
    if (hour < 24 && minute < 60) return { hour, minute };
  }
  throw new ValidationError(`field "ts" must be an ISO-8601 UTC timestamp, got ${JSON.stringify(ts.slice(0, 40))}`);
}

/** `YYYY-MM-DDTHH:MM:SS` at the start (ASCII digits only) and `Z` at the end. */
function hasIsoUtcShape(ts: string): boolean {
  if (ts.length < 20 || ts.charCodeAt(ts.length - 1) !== 0x5a) return false;
  for (const at of DIGIT_AT) if (digitAt(ts, at) > 9) return false;
  for (const [at, code] of SEPARATOR_AT) if (ts.charCodeAt(at) !== code) return false;
  return true;
}

/** The decimal digit at `at`, or a number above 9 when it is not an ASCII digit. */
function digitAt(text: string, at: number): number {
  return (text.charCodeAt(at) - 0x30) >>> 0;
}
