import type { KafkaRecordInput } from '../../../functions/shared/kafka/index.js';
import { isObject, type FilterPattern, type Matcher } from './filter-pattern.js';

/**
 * Whether a record passes the mapping's filters (true when there are none). The record is seen as
 * Lambda's filtering sees a Kafka record: { topic, partition, offset, timestamp, timestampType,
 * key, value, headers }, where value (and key) is the parsed JSON object when the bytes are a JSON
 * object, else the UTF-8 string.
 */
export function recordPassesFilters(record: KafkaRecordInput, patterns: readonly FilterPattern[]): boolean {
  if (patterns.length === 0) return true;
  const view: Record<string, unknown> = {
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    timestamp: record.timestamp,
    timestampType: record.timestampType ?? 'CREATE_TIME',
    key: decodeData(record.key ?? null),
    value: decodeData(record.value),
  };
  return patterns.some((pattern) => matchesObject(view, pattern));
}

function decodeData(data: Buffer | string | null): unknown {
  if (data === null) return null;
  const text = typeof data === 'string' ? data : data.toString('utf8');
  const first = text.trimStart()[0];
  if (first !== '{') return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function matchesObject(subject: unknown, pattern: FilterPattern): boolean {
  for (const [name, rule] of pattern.fields) {
    const present = isObject(subject) && Object.hasOwn(subject, name);
    const value = present ? (subject as Record<string, unknown>)[name] : undefined;
    if (Array.isArray(rule)) {
      if (!(rule as readonly Matcher[]).some((matcher) => matchesLeaf(value, present, matcher))) return false;
    } else if (!matchesObject(value, rule as FilterPattern)) {
      return false;
    }
  }
  return true;
}

/** A leaf array in the record matches when any of its elements does. */
function matchesLeaf(value: unknown, present: boolean, matcher: Matcher): boolean {
  if (matcher.kind === 'exists') return matcher.value === (present && value !== undefined);
  if (!present) return false;
  if (Array.isArray(value)) return value.some((element) => matchesScalar(element, matcher));
  return matchesScalar(value, matcher);
}

function matchesScalar(value: unknown, matcher: Matcher): boolean {
  switch (matcher.kind) {
    case 'equals':
      return value === matcher.value;
    case 'prefix':
      return typeof value === 'string' && value.startsWith(matcher.value);
    case 'suffix':
      return typeof value === 'string' && value.endsWith(matcher.value);
    case 'equals-ignore-case':
      return typeof value === 'string' && value.toLowerCase() === matcher.value.toLowerCase();
    case 'anything-but':
      return (typeof value === 'string' || typeof value === 'number' || value === null) && !matcher.values.includes(value);
    case 'numeric':
      return typeof value === 'number' && matcher.bounds.every(({ op, value: bound }) => compare(value, op, bound));
    case 'exists':
      return matcher.value;
  }
}

function compare(value: number, op: string, bound: number): boolean {
  switch (op) {
    case '=':
      return value === bound;
    case '<':
      return value < bound;
    case '<=':
      return value <= bound;
    case '>':
      return value > bound;
    default:
      return value >= bound;
  }
}
