/**
 * True for `YYYY-MM-DDTHH:MM:SS[.fraction]Z` with a real calendar date (Gregorian leap years,
 * years 0000–9999), hours 00–23, minutes and seconds 00–59 (no leap second), any number of
 * fraction digits, an upper-case `T` and `Z`, ASCII digits only: exactly the strings zod's
 * z.iso.datetime() (no offset, not local, any precision) accepts, checked without its regex.
 */
export function isUtcDatetime(text: string): boolean {
  const length = text.length;
  if (length < 20 || text.charCodeAt(length - 1) !== 0x5a /* Z */) return false;
  if (text.charCodeAt(4) !== 0x2d || text.charCodeAt(7) !== 0x2d || text.charCodeAt(10) !== 0x54 || text.charCodeAt(13) !== 0x3a || text.charCodeAt(16) !== 0x3a) {
    return false;
  }
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  if (length === 20) return true;
  // A fraction: "." then one or more digits, up to the final Z.
  if (text.charCodeAt(19) !== 0x2e || length === 21) return false;
  for (let index = 20; index < length - 1; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x30 || code > 0x39) return false;
  }
  return true;
}

/** The value of `count` ASCII digits at `start`, or -1 when any of them is not a digit. */
function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let index = start; index < start + count; index++) {
    const digit = text.charCodeAt(index) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
