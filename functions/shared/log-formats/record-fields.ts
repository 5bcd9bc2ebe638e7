import { MAX_HOST_CHARS, MAX_ID_CHARS, MAX_MESSAGE_BYTES, SERVICE_NAME_PATTERN } from '../log/log-record.js';

/**
 * Helpers that turn fields of a foreign log line into values the log schema accepts, without
 * losing the line: a name with characters a service may not carry gets them replaced, an
 * oversize message is cut at the schema's limit (on a character boundary), NUL is dropped.
 */
const NOT_SERVICE_CHARS = /[^A-Za-z0-9._-]+/g;
const CONTROL_CHARS = /[\u0000-\u001f\u007f]+/g;
const SURROGATE = /[\ud800-\udfff]/;
const LONE_SURROGATES = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** A service name matching SERVICE_NAME_PATTERN; `fallback` when nothing usable is left. */
export function serviceName(raw: string | undefined, fallback = 'unknown'): string {
  const cleaned = (raw ?? '').replace(NOT_SERVICE_CHARS, '-').replace(/^-+|-+$/g, '').slice(0, MAX_ID_CHARS);
  return cleaned.length > 0 && SERVICE_NAME_PATTERN.test(cleaned) ? cleaned : fallback;
}

/** A host without control characters, at most MAX_HOST_CHARS; `fallback` when empty. */
export function hostName(raw: string | undefined, fallback = 'unknown'): string {
  const cleaned = wellFormed((raw ?? '').replace(CONTROL_CHARS, ' ').trim().slice(0, MAX_HOST_CHARS));
  return cleaned.length > 0 ? cleaned : fallback;
}

/**
 * The message without U+0000 and with lone surrogates as U+FFFD (what its UTF-8 encoding, and so
 * PostgreSQL, would make of them anyway), cut to at most MAX_MESSAGE_BYTES of UTF-8.
 */
export function messageText(raw: string): string {
  const text = wellFormed(raw.includes('\u0000') ? raw.replace(/\u0000/g, '') : raw);
  if (text.length * 3 <= MAX_MESSAGE_BYTES || Buffer.byteLength(text, 'utf8') <= MAX_MESSAGE_BYTES) return text;
  let cut = Buffer.from(text, 'utf8').subarray(0, MAX_MESSAGE_BYTES).toString('utf8');
  // A multi-byte character cut in half decodes to U+FFFD at the end: drop it.
  while (cut.endsWith('\ufffd') && Buffer.byteLength(cut, 'utf8') > MAX_MESSAGE_BYTES - 3) cut = cut.slice(0, -1);
  return cut;
}

/** `text` with each lone surrogate replaced by U+FFFD (String.prototype.toWellFormed). */
function wellFormed(text: string): string {
  return SURROGATE.test(text) ? text.replace(LONE_SURROGATES, '\ufffd') : text;
}

/** ISO-8601 UTC with milliseconds from calendar parts (UTC assumed); null when not a real time. */
export function isoFromParts(year: number, month: number, day: number, hour: number, minute: number, second: number, fraction = ''): string | null {
  const ms = Number((fraction + '000').slice(0, 3));
  const time = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const date = new Date(time);
  if (!Number.isFinite(time) || year < 1 || year > 9999 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 || minute > 59 || second > 60) return null;
  return date.toISOString();
}
