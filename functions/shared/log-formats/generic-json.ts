import type { LogLevel } from '../log/log-record.js';
import { levelOfNumber, levelOfWord } from './generic-levels.js';

/**
 * The fields of a JSON log object (one object per line, or a line's message that is one): the
 * first present key of each list below, top level (ECS's nested `log.level`, `service.name` and
 * `host.name` too). Strings only, except numeric times (epoch s/ms) and numeric levels (bunyan/pino).
 */
export interface JsonLine {
  readonly time: string | number | undefined;
  readonly level: LogLevel | undefined;
  readonly source: string | undefined;
  readonly message: string | undefined;
  readonly host: string | undefined;
}

const TIME_KEYS = ['@timestamp', 'timestamp', 'time', 'ts', 'datetime', 'date'];
const LEVEL_KEYS = ['level', 'lvl', 'severity', 'loglevel', 'log.level', 'levelname', 'level_name'];
const SOURCE_KEYS = ['logger', 'logger_name', 'loggerName', 'service', 'service.name', 'component', 'app', 'application', 'module', 'name'];
const MESSAGE_KEYS = ['msg', 'message', 'log'];
const HOST_KEYS = ['host', 'hostname', 'host.name'];

/** The fields of `text` when it is a JSON object; null when it is not. */
export function readJsonObject(text: string): JsonLine | null {
  if (!text.startsWith('{') || !text.endsWith('}')) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  const time = first(record, TIME_KEYS, (v) => (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)) ? v : undefined));
  const level = first(record, LEVEL_KEYS, (v) => (typeof v === 'string' ? levelOfWord(v.trim()) : typeof v === 'number' ? levelOfNumber(v) : undefined));
  const source = first(record, SOURCE_KEYS, text1);
  const message = first(record, MESSAGE_KEYS, (v) => (typeof v === 'string' ? v : undefined));
  const host = first(record, HOST_KEYS, text1);
  return { time, level, source, message, host };
}

function text1(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function first<T>(record: Record<string, unknown>, keys: readonly string[], read: (value: unknown) => T | undefined): T | undefined {
  for (const key of keys) {
    const found = read(lookup(record, key));
    if (found !== undefined) return found;
  }
  return undefined;
}

/** `record[key]`, or for a dotted key the nested value (`log.level` → record.log.level). */
function lookup(record: Record<string, unknown>, key: string): unknown {
  if (Object.hasOwn(record, key)) return record[key];
  const dot = key.indexOf('.');
  if (dot < 0) return undefined;
  const parent = record[key.slice(0, dot)];
  return typeof parent === 'object' && parent !== null && !Array.isArray(parent) && Object.hasOwn(parent, key.slice(dot + 1)) ? (parent as Record<string, unknown>)[key.slice(dot + 1)] : undefined;
}
