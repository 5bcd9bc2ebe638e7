import { isBlank } from './generic-header.js';
import { levelOfUpperWord } from './generic-levels.js';

/**
 * Timestamps of foreign logs, found in a line's head. Every pattern is linear (no nested or
 * overlapping quantifiers) and only ever runs over the head, so no line can make it slow.
 *
 * A stamp is *dated* when it carries a year (or is an epoch); a year-less stamp (syslog
 * `Mmm dd hh:mm:ss`, Android `MM-DD hh:mm:ss`) gets its year from the caller. Times without a zone
 * are read as UTC.
 */
export interface Stamp {
  readonly start: number;
  readonly end: number;
  /** UTC milliseconds of a dated stamp; NaN for a year-less one. */
  readonly ms: number;
  /** Month, day, hour, minute, second, millisecond of a year-less stamp (empty when dated). */
  readonly parts: readonly number[];
  /** RFC 3164 syslog layout (`Mmm dd hh:mm:ss`, no year): a host field follows. */
  readonly syslog: boolean;
  /** RFC 3339 (`T` and a zone), as rsyslog writes in place of the RFC 3164 stamp. */
  readonly rfc3339: boolean;
  /** A time of day without a date (`12:00:01.123` opening the line): its day is the previous line's. */
  readonly timeOnly: boolean;
}

/** A line's leading stamps: the one that gives the time and where the header after them starts. */
export interface StampRun {
  readonly chosen: Stamp;
  readonly last: Stamp;
  readonly end: number;
}

const MONTHS = 'Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec';
const MONTH_NUMBER: Readonly<Record<string, number>> = { Jan: 1, Feb: 2, Mar: 3, Apr: 4, May: 5, Jun: 6, Jul: 7, Aug: 8, Sep: 9, Oct: 10, Nov: 11, Dec: 12 };
const ZONE = '(?: ?(Z|UTC|GMT|[+-]\\d{2}:?\\d{2})(?![\\w:]))?';
const FRACTION = '(?:[.,](\\d{1,9}))?';

/** A stamp after more fields than this is message text, not a header (`vhost ip ident user [stamp]` is 4). */
const MAX_FIELDS_BEFORE_STAMP = 4;
/** A second stamp after at most this many fields, denoting the same moment, belongs to the header. */
const MAX_FIELDS_BETWEEN_STAMPS = 3;
/** "The same moment": two clocks in different zones, both read as UTC, differ by at most 26 h. */
const SAME_MOMENT_MS = 26 * 3_600_000;
/** 0001-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: what an ISO time with a four-digit year spans. */
const MIN_MS = -62_135_596_800_000;
const MAX_MS = 253_402_300_799_999;

interface Pattern {
  readonly re: RegExp;
  /** Only at the start of the line. */
  readonly anchored: boolean;
  readonly read: (match: RegExpExecArray) => Stamp | null;
}

const PATTERNS: readonly Pattern[] = [
  {
    // 2024-05-01T12:34:56.789Z, 2024-05-01 12:34:56,789 +0200, 2024/05/01 12:34:56, 2005.06.03 15:42:50
    re: new RegExp(`(?<![\\d.])(\\d{4})([-/.])(\\d{1,2})\\2(\\d{1,2})([T ])(\\d{2}):(\\d{2}):(\\d{2})${FRACTION}${ZONE}(?!\\d)`, 'g'),
    anchored: false,
    read: (m) => dated(m, Number(m[1]), Number(m[3]), Number(m[4]), Number(m[6]), Number(m[7]), Number(m[8]), m[9], m[10], m[5] === 'T' && m[10] !== undefined),
  },
  {
    // 2005-06-03-15.42.50.675872 (DB2 / Blue Gene)
    re: /(?<![\d.])(\d{4})-(\d{2})-(\d{2})-(\d{2})\.(\d{2})\.(\d{2})(?:\.(\d{1,9}))?(?!\d)/g,
    anchored: false,
    read: (m) => dated(m, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), m[7]),
  },
  {
    // syslog `May  1 12:34:56`; ctime `Sun Dec 04 04:47:44 2005` (Apache error log, with or
    // without a fraction); `Jun 09, 2017 8:10:40 PM` (java.util.logging); `Jan 01 2024 12:00:00`
    re: new RegExp(
      `\\b(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),? +)?(${MONTHS}) +(\\d{1,2})(?:,? +(\\d{4}))?,? +(\\d{1,2}):(\\d{2}):(\\d{2})${FRACTION}(?: ?([AaPp][Mm])\\b)?(?: +((?:19|20)\\d{2})(?![\\d:]))?(?!\\d)`,
      'g',
    ),
    anchored: false,
    read: readTextMonth,
  },
  {
    // 10/Oct/2000:13:55:36 -0700 (access logs), 09-Jun-2017 20:10:40.123, 09 Jun 2017 20:10:40,123
    re: new RegExp(`(?<!\\w)(\\d{1,2})([-/ ])(${MONTHS})\\2(\\d{4})[: ](\\d{2}):(\\d{2}):(\\d{2})${FRACTION}${ZONE}(?!\\d)`, 'g'),
    anchored: false,
    read: (m) => dated(m, Number(m[4]), MONTH_NUMBER[m[3] as string] ?? 0, Number(m[1]), Number(m[5]), Number(m[6]), Number(m[7]), m[8], m[9]),
  },
  {
    // 17/06/09 20:10:40 (log4j `yy/MM/dd HH:mm:ss`, as Spark and Hadoop write it)
    re: /(?<![\d/.:])(\d{2})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(?!\d)/g,
    anchored: false,
    read: (m) => dated(m, twoDigitYear(m[1] as string), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), m[7]),
  },
  {
    // 03-17 16:13:38.811 (Android logcat, no year)
    re: /(?<![\d\-/.:])(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?!\d)/g,
    anchored: false,
    read: (m) => yearless(m, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), m[6], false),
  },
  {
    // 081109 203615 (HDFS `yyMMdd HHmmss`), only opening the line
    re: /^\s*(\d{2})(\d{2})(\d{2}) (\d{2})(\d{2})(\d{2})(?!\S)/g,
    anchored: true,
    read: (m) => dated(m, twoDigitYear(m[1] as string), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), undefined, undefined, false, leading(m)),
  },
  {
    // 12:00:01.123 opening the line (logback's default layout): a time of day without a date
    re: /^\s*(\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(?!\S)/g,
    anchored: true,
    read: readTimeOfDay,
  },
  {
    // epoch seconds (10 digits, optional fraction) or milliseconds (13), only opening the line
    re: /^\s*\[?(\d{10}|\d{13})(?:\.(\d{1,9}))?\]?(?!\S)/g,
    anchored: true,
    read: readEpoch,
  },
];

/** The earliest stamp in `head` starting at or after `from` (ties: the longer); null if none. */
export function findStamp(head: string, from: number): Stamp | null {
  let best: Stamp | null = null;
  for (const pattern of PATTERNS) {
    if (pattern.anchored && from > 0) continue;
    pattern.re.lastIndex = from;
    for (let match = pattern.re.exec(head); match !== null; match = pattern.re.exec(head)) {
      if (best !== null && match.index > best.start) break;
      const stamp = pattern.read(match);
      if (stamp !== null) {
        if (best === null || stamp.start < best.start || (stamp.start === best.start && stamp.end > best.end)) best = stamp;
        break;
      }
      if (pattern.anchored) break;
      pattern.re.lastIndex = match.index + 1;
    }
  }
  return best;
}

/**
 * The stamps that open a line: the first stamp (within its first few fields), then any stamp that
 * follows within a few fields without a level word or a `name:` between them and denotes the same
 * moment (a relay's stamp before the original's, a RAS line's epoch before its fine time). The time
 * comes from the first dated stamp of the run (an epoch opening the line beats a later year-less
 * syslog stamp), else from the first; the header starts after the last.
 */
export function findStampRun(head: string): StampRun | null {
  const first = findStamp(head, 0);
  if (first === null || fieldsIn(head, 0, first.start) > MAX_FIELDS_BEFORE_STAMP) return null;
  let chosen = first;
  let last = first;
  for (let i = 0; i < 2; i++) {
    const next = findStamp(head, last.end);
    if (next === null || !headerGap(head, last.end, next.start) || !sameMoment(last, next)) break;
    if (Number.isNaN(chosen.ms) && !Number.isNaN(next.ms)) chosen = next;
    last = next;
  }
  return { chosen, last, end: last.end };
}

/** UTC ms of a year-less stamp in `year`; NaN when that day does not exist in it (or it has no date). */
export function msInYear(stamp: Stamp, year: number): number {
  if (stamp.timeOnly) return Number.NaN;
  const [month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0] = stamp.parts;
  return utcMs(year, month, day, hour, minute, second, millis);
}

/**
 * UTC ms of a year-less stamp in the year (`reference`'s, the one before or after) nearest
 * `reference`; of a time-of-day stamp, on `reference`'s day, or the next when that would put it
 * more than 12 h before `reference` (the clock passed midnight).
 */
export function msNear(stamp: Stamp, reference: number): number {
  if (stamp.timeOnly) {
    const [, , hour = 0, minute = 0, second = 0, millis = 0] = stamp.parts;
    const day = reference - (((reference % 86_400_000) + 86_400_000) % 86_400_000);
    const ms = day + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
    const next = ms < reference - 43_200_000 ? ms + 86_400_000 : ms;
    return inIsoRange(next) ? next : Number.NaN;
  }
  const year = new Date(reference).getUTCFullYear();
  let best = Number.NaN;
  for (const candidate of [year - 1, year, year + 1]) {
    const ms = msInYear(stamp, candidate);
    if (!Number.isNaN(ms) && (Number.isNaN(best) || Math.abs(ms - reference) < Math.abs(best - reference))) best = ms;
  }
  return best;
}

/** UTC ms from calendar parts; NaN when not a real time or outside years 1–9999. */
export function utcMs(year: number, month: number, day: number, hour: number, minute: number, second: number, millis = 0): number {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return Number.NaN;
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, millis));
  date.setUTCFullYear(year, month - 1, day); // years 0–99 too (Date.UTC maps them to 1900–1999)
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return Number.NaN;
  return date.getTime();
}

/** Whether `ms` can be written as a four-digit-year ISO time. */
export function inIsoRange(ms: number): boolean {
  return Number.isFinite(ms) && ms >= MIN_MS && ms <= MAX_MS;
}

function dated(
  m: RegExpExecArray,
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  fraction: string | undefined,
  zone?: string,
  rfc3339 = false,
  start = m.index,
): Stamp | null {
  const local = utcMs(year, month, day, hour, minute, second, millisOf(fraction));
  if (Number.isNaN(local)) return null;
  const ms = local - zoneOffsetMs(zone);
  if (!inIsoRange(ms)) return null;
  return { start, end: m.index + m[0].length, ms, parts: [], syslog: false, rfc3339, timeOnly: false };
}

function yearless(m: RegExpExecArray, month: number, day: number, hour: number, minute: number, second: number, fraction: string | undefined, syslog: boolean): Stamp | null {
  const millis = millisOf(fraction);
  if (Number.isNaN(utcMs(2000, month, day, hour, minute, second, millis))) return null; // 2000: Feb 29 exists
  return { start: m.index, end: m.index + m[0].length, ms: Number.NaN, parts: [month, day, hour, minute, second, millis], syslog, rfc3339: false, timeOnly: false };
}

function readTimeOfDay(m: RegExpExecArray): Stamp | null {
  const [hour, minute, second] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (hour > 23 || minute > 59 || second > 59) return null;
  return { start: leading(m), end: m.index + m[0].length, ms: Number.NaN, parts: [0, 0, hour, minute, second, millisOf(m[4])], syslog: false, rfc3339: false, timeOnly: true };
}

function readTextMonth(m: RegExpExecArray): Stamp | null {
  const month = MONTH_NUMBER[m[1] as string] ?? 0;
  let hour = Number(m[4]);
  const meridiem = m[8]?.toUpperCase();
  if (meridiem !== undefined) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (meridiem === 'PM' ? 12 : 0);
  }
  const year = m[3] ?? m[9];
  if (year !== undefined) return dated(m, Number(year), month, Number(m[2]), hour, Number(m[5]), Number(m[6]), m[7]);
  return yearless(m, month, Number(m[2]), hour, Number(m[5]), Number(m[6]), m[7], meridiem === undefined);
}

function readEpoch(m: RegExpExecArray): Stamp | null {
  const digits = m[1] as string;
  const ms = digits.length === 13 ? Number(digits) : Number(digits) * 1000 + millisOf(m[2]);
  return inIsoRange(ms) ? { start: leading(m), end: m.index + m[0].length, ms, parts: [], syslog: false, rfc3339: false, timeOnly: false } : null;
}

/** Where an anchored match's text starts (after the leading spaces its pattern allows). */
function leading(m: RegExpExecArray): number {
  return m.index + (m[0].length - m[0].trimStart().length);
}

/** POSIX `%y`: 69–99 → 1969–1999, 00–68 → 2000–2068. */
function twoDigitYear(text: string): number {
  const yy = Number(text);
  return yy >= 69 ? 1900 + yy : 2000 + yy;
}

function millisOf(fraction: string | undefined): number {
  return fraction === undefined ? 0 : Number((fraction + '00').slice(0, 3));
}

function zoneOffsetMs(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z' || zone === 'UTC' || zone === 'GMT') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
}

/** Whole blank-separated fields in head[from, to) (one that runs into `to`, like `[` before a stamp, does not count). */
function fieldsIn(head: string, from: number, to: number): number {
  let fields = 0;
  let inField = false;
  for (let i = from; i < to; i++) {
    const blank = isBlank(head.charCodeAt(i));
    if (blank && inField) fields++;
    inField = !blank;
  }
  return fields;
}

/** Between two stamps: a few fields, none a level word or a `name:` (which would start the header). */
function headerGap(head: string, from: number, to: number): boolean {
  if (fieldsIn(head, from, to) > MAX_FIELDS_BETWEEN_STAMPS) return false;
  for (const field of head.slice(from, to).split(/\s+/)) {
    if (field.endsWith(':') || field.includes('=') || levelOfUpperWord(field.replace(/^[[(<]+|[\])>:,]+$/g, '')) !== undefined) return false;
  }
  return true;
}

function sameMoment(a: Stamp, b: Stamp): boolean {
  if (a.timeOnly || b.timeOnly) return false;
  const aDated = !Number.isNaN(a.ms);
  const bDated = !Number.isNaN(b.ms);
  let aMs = a.ms;
  let bMs = b.ms;
  if (aDated && !bDated) bMs = msNear(b, aMs);
  else if (!aDated && bDated) aMs = msNear(a, bMs);
  else if (!aDated && !bDated) {
    aMs = msInYear(a, 2000);
    bMs = msNear(b, aMs);
  }
  return Math.abs(aMs - bMs) <= SAME_MOMENT_MS;
}
