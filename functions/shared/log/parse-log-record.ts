import type { z } from 'zod';
import { ValidationError } from '../errors.js';
import { FORBIDDEN_KEYS, MAX_RECORD_BYTES, logRecordSchema, type LogRecord } from './log-record.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Largest number of schema problems listed in one error message. */
const MAX_LISTED_ISSUES = 5;

/**
 * Decodes and validates the value of a Kafka record on topic `logs`.
 *
 * Throws ValidationError whose message says why: empty value, oversize (> 64 KiB raw), not UTF-8,
 * not JSON, not a JSON object, a forbidden key (`__proto__`, `constructor`, `prototype`, at any
 * depth), or the schema problems, each naming its field. Unknown fields are dropped.
 */
export function parseLogRecord(bytes: Buffer | Uint8Array | null | undefined): LogRecord {
  if (bytes === null || bytes === undefined || bytes.length === 0) {
    throw new ValidationError('log record is empty: the Kafka record has no value');
  }
  if (bytes.length > MAX_RECORD_BYTES) {
    throw new ValidationError(`log record is oversize: ${bytes.length} bytes, limit ${MAX_RECORD_BYTES}`);
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch (cause) {
    throw new ValidationError('log record is not valid UTF-8', { cause });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new ValidationError(`log record is not JSON: ${(cause as Error).message}`, { cause });
  }
  return validateLogRecord(value);
}

/** Validates an already-decoded value (e.g. from a test or another transport); same errors as parseLogRecord. */
export function validateLogRecord(value: unknown): LogRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError(`log record must be a JSON object, got ${describeJsonType(value)}`);
  }
  const forbidden = findForbiddenKey(value);
  if (forbidden !== undefined) {
    throw new ValidationError(`log record contains forbidden key "${forbidden}" (prototype pollution)`);
  }
  const result = logRecordSchema.safeParse(value);
  if (!result.success) {
    throw new ValidationError(`log record is invalid: ${describeIssues(result.error.issues)}`);
  }
  return result.data;
}

/** Encodes a record as the UTF-8 JSON value of a Kafka record; validates it first so nothing the detector would reject is sent. */
export function serializeLogRecord(record: LogRecord): Buffer {
  const valid = validateLogRecord(record);
  const bytes = Buffer.from(JSON.stringify(valid), 'utf8');
  if (bytes.length > MAX_RECORD_BYTES) {
    throw new ValidationError(`log record is oversize: ${bytes.length} bytes serialized, limit ${MAX_RECORD_BYTES}`);
  }
  return bytes;
}

/** Depth-first search over own keys; the raw value is at most 64 KiB, so the walk is bounded. */
function findForbiddenKey(root: object): string | undefined {
  const pending: object[] = [root];
  while (pending.length > 0) {
    const node = pending.pop() as object;
    for (const key of Object.keys(node)) {
      if (FORBIDDEN_KEYS.has(key)) return key;
      const child = (node as Record<string, unknown>)[key];
      if (typeof child === 'object' && child !== null) pending.push(child);
    }
  }
  return undefined;
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const listed = issues.slice(0, MAX_LISTED_ISSUES).map((issue) => {
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '(record)';
    return `field "${field}" ${issue.message.replace(/^Invalid input: /, '')}`;
  });
  const more = issues.length > MAX_LISTED_ISSUES ? `; and ${issues.length - MAX_LISTED_ISSUES} more` : '';
  return listed.join('; ') + more;
}

function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
