import { ConfigError } from '../errors.js';
import type { LogLevel, LogRecord } from '../log/log-record.js';
import { acceptableName, readHeader, type HostLayout } from './generic-header.js';
import { readJsonObject, type JsonLine } from './generic-json.js';
import { LEVEL_WORDS, UPPER_LEVEL_ANYWHERE, levelOfSyslogPriority } from './generic-levels.js';
import { findStamp, findStampRun, inIsoRange, msInYear, msNear, type Stamp } from './generic-timestamps.js';
import { hostName, messageText, serviceName } from './record-fields.js';

/**
 * Any text log, one record per line (docs/detection.md, "Formats"). A line is read as
 * `[prefix] timestamp(s) header message`:
 * - timestamp: the first stamp within the line's first five fields (ISO-8601 and `YYYY/MM/DD` /
 *   `YYYY.MM.DD` with a time, `2005-06-03-15.42.50`, syslog `May  1 12:34:56`, ctime
 *   `Sun Dec 04 04:47:44 2005`, `10/Oct/2000:13:55:36 -0700`, `09-Jun-2017 20:10:40`,
 *   `Jun 09, 2017 8:10:40 PM`, HDFS `081109 203615`, `17/06/09 20:10:40`, Android
 *   `03-17 16:13:38.811`, epoch seconds or milliseconds opening the line), plus stamps right after it
 *   that denote the same moment; the first dated one gives the time (generic-timestamps.ts). No
 *   zone: UTC. A year-less stamp takes `defaultYear` until a dated stamp has been seen, then the year
 *   that puts it nearest the previous line's time. A line without one gets the previous line's time
 *   (the first: `fallbackTime`).
 * - header: the fields after the timestamp, read one by one until one is not a header field
 *   (generic-header.ts): level, source (the service), the syslog host; the message is the rest,
 *   or, when that is empty, the whole line after the timestamp.
 * - level: the header's; else a syslog `<PRI>`; else an upper-case level word anywhere in the
 *   first HEAD_CHARS characters; else INFO.
 * - JSON: a line that is one JSON object is read by its keys (generic-json.ts); so is a message
 *   that is one, for what the header did not give.
 * Custom patterns (`timestampPattern`, `levelPattern`, `sourcePattern`, group 1 or the whole
 * match, searched in the first HEAD_CHARS characters) replace the default for their part; the
 * message then starts after the furthest of their matches and the header.
 */
export interface GenericFormatOptions {
  readonly timestampPattern?: string;
  readonly levelPattern?: string;
  readonly sourcePattern?: string;
  /** Year for year-less timestamps before any dated one (default 1970). */
  readonly defaultYear?: number;
  /** ISO time of a first line without a timestamp (default 1970-01-01T00:00:00.000Z). */
  readonly fallbackTime?: string;
}

/** Timestamps and patterns are searched in this many leading characters of a line. */
export const HEAD_CHARS = 200;
const MAX_PATTERN_CHARS = 500;
const PRIORITY = /^\s*<(\d{1,3})>/;
const RFC5424_PREFIX = /^\s*<\d{1,3}>\d{1,2} $/;

/** A parser for the generic format; keeps the last time seen (for lines without one). */
export function createGenericParser(options: GenericFormatOptions = {}): (line: string, lineNumber: number) => LogRecord {
  const timestamp = options.timestampPattern === undefined ? null : compile(options.timestampPattern, 'timestampPattern');
  const levelPattern = options.levelPattern === undefined ? null : compile(options.levelPattern, 'levelPattern');
  const sourcePattern = options.sourcePattern === undefined ? null : compile(options.sourcePattern, 'sourcePattern');
  const year = options.defaultYear ?? 1970;
  if (!Number.isInteger(year) || year < 1 || year > 9999) throw new ConfigError(`defaultYear must be a whole year from 1 to 9999, got ${String(year)}`);
  let lastMs = Date.parse(options.fallbackTime ?? '1970-01-01T00:00:00.000Z');
  if (!inIsoRange(lastMs)) throw new ConfigError('fallbackTime must be an ISO-8601 time');
  let lastTs = new Date(lastMs).toISOString();
  /** Whether a dated stamp has been seen: year-less stamps then follow the stream's time. */
  let anchored = false;

  const timeOf = (stamp: Stamp): number => {
    if (!Number.isNaN(stamp.ms)) {
      anchored = true;
      return stamp.ms;
    }
    return anchored || stamp.timeOnly ? msNear(stamp, lastMs) : msInYear(stamp, year);
  };

  const jsonTime = (time: string | number | undefined): number => {
    if (typeof time === 'number') return time >= 1e11 ? time : time * 1000;
    if (time === undefined) return Number.NaN;
    const stamp = findStamp(time, 0);
    return stamp !== null ? timeOf(stamp) : Date.parse(time);
  };

  return (line, lineNumber) => {
    const head = line.slice(0, HEAD_CHARS);
    let ms = Number.NaN;
    let level: LogLevel | undefined;
    let source: string | undefined;
    let host: string | undefined;
    let message: string;
    let embedded: JsonLine | null = null;
    const whole = line.charCodeAt(0) === 123 /* { */ || line.trimStart().startsWith('{') ? readJsonObject(line.trim()) : null;
    if (whole !== null) {
      embedded = whole;
      message = whole.message ?? line.trim();
    } else {
      let headerFrom = 0;
      let layout: HostLayout = 'none';
      if (timestamp !== null) {
        const custom = customTimestamp(head, timestamp);
        if (custom !== null) {
          ms = custom.ms;
          headerFrom = custom.end;
        }
      } else {
        const run = findStampRun(head);
        if (run !== null) {
          ms = timeOf(run.chosen);
          headerFrom = run.end;
          layout = run.last.syslog ? 'rfc3164' : run.last.rfc3339 ? (RFC5424_PREFIX.test(line.slice(0, run.last.start)) ? 'rfc5424' : 'rfc3339') : 'none';
        }
      }
      const header = readHeader(line, headerFrom, layout);
      level = header.level;
      if (level === undefined) {
        const priority = PRIORITY.exec(head);
        if (priority !== null) level = levelOfSyslogPriority(Number(priority[1]));
      }
      source = header.source;
      host = header.host;
      let start = header.messageStart;
      if (levelPattern !== null) start = Math.max(start, endOf(levelPattern.exec(head)));
      if (sourcePattern !== null) start = Math.max(start, endOf(sourcePattern.exec(head)));
      message = line.slice(start).trim();
      if (message.length === 0) message = line.slice(headerFrom).trim();
      if (message.startsWith('{')) {
        embedded = readJsonObject(message);
        if (embedded?.message !== undefined) message = embedded.message;
      }
    }
    if (embedded !== null) {
      level ??= embedded.level;
      if (source === undefined && embedded.source !== undefined && acceptableName(embedded.source)) source = embedded.source;
      host ??= embedded.host;
      if (Number.isNaN(ms)) ms = jsonTime(embedded.time);
    }
    if (levelPattern !== null) {
      const match = levelPattern.exec(head);
      level = match === null ? 'INFO' : (LEVEL_WORDS[(match[1] ?? match[0]).toUpperCase()] ?? 'INFO');
    }
    if (sourcePattern !== null) {
      const match = sourcePattern.exec(head);
      source = match === null ? undefined : (match[1] ?? match[0]);
    }
    if (inIsoRange(ms) && ms !== lastMs) {
      lastMs = ms;
      lastTs = new Date(ms).toISOString();
    }
    return {
      id: `line-${lineNumber}`,
      ts: lastTs,
      service: serviceName(source),
      level: level ?? fallbackLevel(head),
      message: messageText(message),
      host: hostName(host),
    };
  };
}

/** The pre-header rule: an upper-case level word anywhere in the head; else INFO. */
function fallbackLevel(head: string): LogLevel {
  const match = UPPER_LEVEL_ANYWHERE.exec(head);
  return match === null ? 'INFO' : (LEVEL_WORDS[match[1] as string] ?? 'INFO');
}

function endOf(match: RegExpExecArray | null): number {
  return match === null ? 0 : match.index + match[0].length;
}

function compile(pattern: string, name: string): RegExp {
  if (typeof pattern !== 'string' || pattern.length === 0 || pattern.length > MAX_PATTERN_CHARS) {
    throw new ConfigError(`${name} must be a regular expression of 1–${MAX_PATTERN_CHARS} characters`);
  }
  try {
    return new RegExp(pattern);
  } catch (cause) {
    throw new ConfigError(`${name} is not a valid regular expression: ${(cause as Error).message}`, { cause });
  }
}

/** A custom timestamp's match (group 1 or the whole), read with Date.parse (no zone: UTC). */
function customTimestamp(head: string, pattern: RegExp): { ms: number; end: number } | null {
  const match = pattern.exec(head);
  if (match === null) return null;
  const text = match[1] ?? match[0];
  const utc = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text}Z`);
  const ms = Number.isFinite(utc) ? utc : Date.parse(text);
  return inIsoRange(ms) ? { ms, end: match.index + match[0].length } : null;
}
