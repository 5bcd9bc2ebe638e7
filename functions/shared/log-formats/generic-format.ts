import { ConfigError } from '../errors.js';
import type { LogLevel, LogRecord } from '../log/log-record.js';
import { hostName, isoFromParts, messageText, serviceName } from './record-fields.js';

/**
 * Any text log, one record per line. Three patterns find the timestamp, the level and the source
 * (the service) near the start of the line (within HEAD_CHARS); the message is what follows the
 * last of them. Each has a default that covers common layouts and can be replaced:
 * - timestamp: ISO-8601 (`2024-05-01T12:34:56.789Z`, `2024-05-01 12:34:56,789`), `2005-06-03-15.42.50.675872`,
 *   syslog `May  1 12:34:56` (year from `defaultYear`), or epoch seconds opening the line; a
 *   custom pattern's match is read with Date.parse. Times without a zone are taken as UTC. A line
 *   without one gets the previous line's time (the first: `fallbackTime`).
 * - level: an upper-case level word (TRACE, DEBUG, INFO, NOTICE, WARN, WARNING, ERROR, ERR,
 *   SEVERE, CRITICAL, CRIT, FATAL, FAILURE, ALERT, EMERG, PANIC); custom: group 1. None: INFO.
 * - source: `name[pid]:` or `name:` or `[name]`; custom: group 1. None: `unknown`.
 */
export interface GenericFormatOptions {
  readonly timestampPattern?: string;
  readonly levelPattern?: string;
  readonly sourcePattern?: string;
  /** Year for syslog timestamps, which carry none (default 1970). */
  readonly defaultYear?: number;
  /** ISO time of a first line without a timestamp (default 1970-01-01T00:00:00.000Z). */
  readonly fallbackTime?: string;
}

/** Patterns search this many leading characters of a line. */
export const HEAD_CHARS = 200;
const MAX_PATTERN_CHARS = 500;

const ISO = /(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?/;
const DASHED = /(\d{4})-(\d{2})-(\d{2})-(\d{2})\.(\d{2})\.(\d{2})(?:\.(\d{1,9}))?/;
const SYSLOG = /\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2})\b/;
const EPOCH = /^(\d{10})(?:\.(\d{1,6}))?\b/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DEFAULT_LEVEL = /\b(TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|SEVERE|CRITICAL|CRIT|FATAL|FAILURE|ALERT|EMERG|PANIC)\b/;
const DEFAULT_SOURCE = /(?:^|\s)([A-Za-z][\w.-]{0,63})(?:\[\d+\])?:(?:\s|$)|\[([A-Za-z][\w.-]{0,63})\]/;

const LEVEL_WORDS: Readonly<Record<string, LogLevel>> = {
  TRACE: 'DEBUG', DEBUG: 'DEBUG', INFO: 'INFO', NOTICE: 'INFO', WARN: 'WARN', WARNING: 'WARN',
  ERROR: 'ERROR', ERR: 'ERROR', SEVERE: 'ERROR', CRITICAL: 'FATAL', CRIT: 'FATAL', FATAL: 'FATAL',
  FAILURE: 'FATAL', ALERT: 'FATAL', EMERG: 'FATAL', PANIC: 'FATAL',
};

interface Found {
  readonly end: number;
}

/** A parser for the generic format; keeps the last timestamp seen (for lines without one). */
export function createGenericParser(options: GenericFormatOptions = {}): (line: string, lineNumber: number) => LogRecord {
  const timestamp = options.timestampPattern === undefined ? null : compile(options.timestampPattern, 'timestampPattern');
  const level = options.levelPattern === undefined ? DEFAULT_LEVEL : compile(options.levelPattern, 'levelPattern');
  const source = options.sourcePattern === undefined ? DEFAULT_SOURCE : compile(options.sourcePattern, 'sourcePattern');
  const year = options.defaultYear ?? 1970;
  if (!Number.isInteger(year) || year < 1 || year > 9999) throw new ConfigError(`defaultYear must be a whole year from 1 to 9999, got ${String(year)}`);
  let lastTs = options.fallbackTime ?? '1970-01-01T00:00:00.000Z';
  if (!Number.isFinite(Date.parse(lastTs))) throw new ConfigError('fallbackTime must be an ISO-8601 time');
  lastTs = new Date(Date.parse(lastTs)).toISOString();

  return (line, lineNumber) => {
    const head = line.slice(0, HEAD_CHARS);
    const time = timestamp === null ? defaultTimestamp(head, year) : customTimestamp(head, timestamp);
    if (time !== null) lastTs = time.ts;
    const levelMatch = level.exec(head);
    const sourceMatch = source.exec(head);
    const ends: Found[] = [time, levelMatch === null ? null : { end: levelMatch.index + levelMatch[0].length }, sourceMatch === null ? null : { end: sourceMatch.index + sourceMatch[0].length }].filter(
      (found): found is Found => found !== null,
    );
    const messageStart = ends.reduce((furthest, found) => Math.max(furthest, found.end), 0);
    const sourceName = sourceMatch === null ? undefined : (sourceMatch[1] ?? sourceMatch[2]);
    return {
      id: `line-${lineNumber}`,
      ts: lastTs,
      service: serviceName(sourceName),
      level: levelMatch === null ? 'INFO' : (LEVEL_WORDS[(levelMatch[1] ?? levelMatch[0]).toUpperCase()] ?? 'INFO'),
      message: messageText(line.slice(messageStart).trim()),
      host: 'unknown',
    };
  };
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

function customTimestamp(head: string, pattern: RegExp): { ts: string; end: number } | null {
  const match = pattern.exec(head);
  if (match === null) return null;
  const text = match[1] ?? match[0];
  const ms = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text}Z`);
  const fallback = Number.isFinite(ms) ? ms : Date.parse(text);
  return Number.isFinite(fallback) ? { ts: new Date(fallback).toISOString(), end: match.index + match[0].length } : null;
}

function defaultTimestamp(head: string, year: number): { ts: string; end: number } | null {
  let match = ISO.exec(head);
  if (match !== null) {
    const local = isoFromParts(Number(match[1]), Number(match[2]), Number(match[3]), Number(match[4]), Number(match[5]), Number(match[6]), match[7] ?? '');
    if (local !== null) return { ts: shiftZone(local, match[8]), end: match.index + match[0].length };
  }
  match = DASHED.exec(head);
  if (match !== null) {
    const ts = isoFromParts(Number(match[1]), Number(match[2]), Number(match[3]), Number(match[4]), Number(match[5]), Number(match[6]), match[7] ?? '');
    if (ts !== null) return { ts, end: match.index + match[0].length };
  }
  match = SYSLOG.exec(head);
  if (match !== null) {
    const ts = isoFromParts(year, MONTHS.indexOf(match[1] as string) + 1, Number(match[2]), Number(match[3]), Number(match[4]), Number(match[5]));
    if (ts !== null) return { ts, end: match.index + match[0].length };
  }
  match = EPOCH.exec(head);
  if (match !== null) return { ts: new Date(Number(match[1]) * 1000 + Number(((match[2] ?? '') + '000').slice(0, 3))).toISOString(), end: match[0].length };
  return null;
}

/** `local` read in the zone `zone` (`Z`, `+02:00`, `-0530`, or none = UTC), as UTC. */
function shiftZone(local: string, zone: string | undefined): string {
  if (zone === undefined || zone === 'Z') return local;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4));
  return new Date(Date.parse(local) - sign * offsetMinutes * 60_000).toISOString();
}
