/**
 * Instants for timestamptz parameters, as ms since the Unix epoch. The rule (unchanged from the
 * ISO-text checks it replaces): a Date, or a string `new Date(string)` accepts, whose UTC year is
 * 1..9999. `Date.parse` is what `new Date(string)` does, so every string keeps the meaning it had
 * — including V8's leniency (e.g. "2024-02-30T00:00:00.000Z" is 2024-03-01, never "Feb 30").
 *
 * Fast path: the canonical form `YYYY-MM-DDTHH:MM:SS.sssZ` (what toISOString writes and what
 * producers send) is read digit by digit — about 3× cheaper than Date.parse and 10× cheaper than
 * parsing and formatting back — and only when every field is in range for its calendar date;
 * anything else (other lengths, offsets, Feb 30, 24:00, leap seconds) takes Date.parse.
 */

/** 0001-01-01T00:00:00.000Z: the earliest instant stored. */
export const MIN_STORABLE_MS = -62_135_596_800_000;
/** 9999-12-31T23:59:59.999Z: the latest instant stored. */
export const MAX_STORABLE_MS = 253_402_300_799_999;

const CANONICAL_LENGTH = 24;
const DIGIT_0 = 48;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;
/** Date.UTC maps years 0..99 to 1900..1999, so the fast path only takes 4-digit years from 1000. */
const FAST_PATH_MIN_YEAR = 1000;

/**
 * The instant of `value` in ms since the epoch, or NaN when it is not a Date or a parseable
 * string, or falls outside years 1..9999.
 */
export function instantMs(value: unknown): number {
  let ms: number;
  if (typeof value === 'string') ms = canonicalIsoMs(value);
  else if (value instanceof Date) ms = value.getTime();
  else return Number.NaN;
  return ms >= MIN_STORABLE_MS && ms <= MAX_STORABLE_MS ? ms : Number.NaN;
}

/** True when `text` is exactly the canonical form for a real calendar date (what instantMs reads itself). */
export function isCanonicalIso(text: string): boolean {
  return !Number.isNaN(readCanonical(text));
}

/** ms for a string: the canonical form read directly, anything else through Date.parse. */
function canonicalIsoMs(text: string): number {
  const fast = readCanonical(text);
  return Number.isNaN(fast) ? Date.parse(text) : fast;
}

/** The instant of a canonical `YYYY-MM-DDTHH:MM:SS.sssZ` string with in-range fields; NaN otherwise. */
function readCanonical(s: string): number {
  if (
    s.length !== CANONICAL_LENGTH ||
    s.charCodeAt(4) !== 45 /* - */ ||
    s.charCodeAt(7) !== 45 ||
    s.charCodeAt(10) !== 84 /* T */ ||
    s.charCodeAt(13) !== 58 /* : */ ||
    s.charCodeAt(16) !== 58 ||
    s.charCodeAt(19) !== 46 /* . */ ||
    s.charCodeAt(23) !== 90 /* Z */
  ) {
    return Number.NaN;
  }
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  const millis = digits(s, 20, 3);
  // digits() is NaN for a non-digit, and every comparison with NaN is false.
  if (!(year >= FAST_PATH_MIN_YEAR && month >= 1 && month <= 12 && day >= 1 && hour <= 23 && minute <= 59 && second <= 59 && millis >= 0)) {
    return Number.NaN;
  }
  if (day > daysInMonth(year, month)) return Number.NaN;
  return Date.UTC(year, month - 1, day, hour, minute, second, millis);
}

/** The decimal number in s[start, start + count), or NaN when a character is not a digit 0-9. */
function digits(s: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const digit = s.charCodeAt(i) - DIGIT_0;
    if (digit < 0 || digit > 9) return Number.NaN;
    value = value * 10 + digit;
  }
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return DAYS_IN_MONTH[month - 1]!;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return leap ? 29 : 28;
}
