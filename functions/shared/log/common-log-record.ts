import { MAX_HOST_CHARS, MAX_ID_CHARS, MAX_MESSAGE_BYTES, SERVICE_NAME_PATTERN, type LogLevel, type LogRecord } from './log-record.js';
import { isUtcDatetime } from './utc-datetime.js';

/** A string of at most this many UTF-16 units is at most MAX_MESSAGE_BYTES of UTF-8 (3 bytes per unit at most). */
const MESSAGE_CHARS_SURELY_SHORT = Math.floor(MAX_MESSAGE_BYTES / 3);
const hasOwn = Object.prototype.hasOwnProperty;

/**
 * logRecordSchema's fields in its order (the order of zod's output). The checks below are written
 * for exactly these fields; log-record-differential.test.ts fails when the schema changes.
 */
export const COMMON_RECORD_FIELDS: readonly string[] = ['id', 'ts', 'service', 'level', 'message', 'host', 'traceId', 'experimentId', 'producerId', 'seq'];

/** 1 for each ASCII character SERVICE_NAME_PATTERN allows: letters, digits, ".", "_", "-". */
const SERVICE_NAME_CHARS = new Uint8Array(128);
for (let code = 0; code < 128; code++) SERVICE_NAME_CHARS[code] = SERVICE_NAME_PATTERN.test(String.fromCharCode(code)) ? 1 : 0;

/**
 * The fast path of log record validation: accepts a record of the common valid shape (a plain
 * object whose own values are all primitives, no forbidden key, every field valid) and returns
 * it as logRecordSchema would (the schema's fields in the schema's order, optional fields only
 * when present, unknown fields dropped). Returns undefined for anything else, never throws: the
 * caller then asks the reference validator, which decides and words the error.
 *
 * `owned`: the caller made `value` (JSON.parse) and gives it away; when it already holds exactly
 * the schema's fields in the schema's order (as serializeLogRecord writes them), it is returned
 * itself instead of a copy. `controlFree`: the caller knows no string in `value` holds a control
 * character (U+0000–U+001F, U+007F), e.g. because the JSON text it came from has no backslash
 * (JSON strings cannot hold those characters unescaped) and no U+007F.
 *
 * Invariant: a record is returned only when validateLogRecordReference would return an equal one
 * (checked by tests/functions/shared/log/log-record-differential.test.ts).
 */
export function acceptCommonLogRecord(value: object, owned = false, controlFree = false): LogRecord | undefined {
  let inSchemaOrder = owned;
  let next = 0;
  for (const key in value) {
    if (!hasOwn.call(value, key)) return undefined;
    // The schema's next field: its value is checked below, and its name is not a forbidden key.
    if (key === COMMON_RECORD_FIELDS[next]) {
      next++;
      continue;
    }
    // Any other key. One pass over the keys stands in for the forbidden-key walk: with no object
    // values there is no depth, so only the top-level keys can be forbidden.
    const field: unknown = (value as Record<string, unknown>)[key];
    if (typeof field === 'object' && field !== null) return undefined;
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') return undefined;
    const position = COMMON_RECORD_FIELDS.indexOf(key);
    // A schema field further on (optional ones skipped) keeps the order; anything else breaks it.
    if (position >= next) next = position + 1;
    else inSchemaOrder = false;
  }
  const record = value as Record<string, unknown>;
  const { id, ts, service, level, message, host } = record;
  if (!isIdField(id, controlFree) || typeof ts !== 'string' || !isUtcDatetime(ts) || !isServiceName(service) || !isLevel(level)) return undefined;
  if (!isMessage(message, controlFree) || !isHost(host, controlFree)) return undefined;
  const { traceId, experimentId, producerId, seq } = record;
  // zod keeps an optional key that is present ("in", own or inherited), whatever its value is.
  if (traceId !== undefined ? !isIdField(traceId, controlFree) : 'traceId' in record) return undefined;
  if (experimentId !== undefined ? !isIdField(experimentId, controlFree) : 'experimentId' in record) return undefined;
  if (producerId !== undefined ? !isIdField(producerId, controlFree) : 'producerId' in record) return undefined;
  // An integer from 0 to 2^53-1 (-0 included, as zod's int().min(0) accepts it).
  if (seq !== undefined ? typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0 : 'seq' in record) return undefined;
  // Every own key is a schema field, each once, in schema order: the value is already what zod returns.
  if (inSchemaOrder) return value as LogRecord;

  const accepted: LogRecord = { id, ts, service, level, message, host };
  if (traceId !== undefined) accepted.traceId = traceId as string;
  if (experimentId !== undefined) accepted.experimentId = experimentId as string;
  if (producerId !== undefined) accepted.producerId = producerId as string;
  if (seq !== undefined) accepted.seq = seq as number;
  return accepted;
}

/** id, traceId, experimentId, producerId: 1–MAX_ID_CHARS characters, no control characters. */
function isIdField(value: unknown, controlFree: boolean): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= MAX_ID_CHARS && (controlFree || hasNoControlChar(value));
}

/** SERVICE_NAME_PATTERN ([A-Za-z0-9._-]+) and at most MAX_ID_CHARS characters. */
function isServiceName(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ID_CHARS) return false;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code >= 128 || SERVICE_NAME_CHARS[code] === 0) return false;
  }
  return true;
}

function isLevel(value: unknown): value is LogLevel {
  return value === 'INFO' || value === 'WARN' || value === 'ERROR' || value === 'DEBUG' || value === 'FATAL';
}

/** Any text of at most MAX_MESSAGE_BYTES UTF-8 bytes without U+0000. */
function isMessage(value: unknown, controlFree: boolean): value is string {
  if (typeof value !== 'string') return false;
  if (value.length > MESSAGE_CHARS_SURELY_SHORT && Buffer.byteLength(value, 'utf8') > MAX_MESSAGE_BYTES) return false;
  return controlFree || value.indexOf('\u0000') === -1;
}

function isHost(value: unknown, controlFree: boolean): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= MAX_HOST_CHARS && (controlFree || hasNoControlChar(value));
}

/** No C0 control character (U+0000–U+001F) and no DEL (U+007F): what the schema's /[\u0000-\u001f\u007f]/ refuses. */
function hasNoControlChar(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return false;
  }
  return true;
}
