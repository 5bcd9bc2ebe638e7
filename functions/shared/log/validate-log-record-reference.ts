import type { z } from 'zod';
import { ValidationError } from '../errors.js';
import { FORBIDDEN_KEYS, logRecordSchema, type LogRecord } from './log-record.js';

/** Largest number of schema problems listed in one error message. */
const MAX_LISTED_ISSUES = 5;

/**
 * The reference validator: the forbidden-key walk, then logRecordSchema (zod). It decides every
 * record the fast path (common-log-record.ts) does not accept, and every error message comes
 * from it. Throws ValidationError naming the forbidden key or each schema problem's field.
 */
export function validateLogRecordReference(value: unknown): LogRecord {
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
