/**
 * Last-line checks on values about to become SQL parameters. Callers (handlers) validate their
 * inputs first; these guards make sure a value that slipped through fails with a ValidationError
 * naming the field, before any statement runs, instead of failing a whole transaction in PostgreSQL.
 * Text results are already storable: NUL and lone surrogates replaced (see text-safety.ts).
 */
import { ValidationError } from '../errors.js';
import { storableText } from './text-safety.js';
import { instantMs, isCanonicalIso } from './timestamps.js';

/** A point in time as given by callers: a Date or an ISO 8601 string. */
export type Timestamp = Date | string;

const INT32_MAX = 2_147_483_647;

export function requireText(value: unknown, what: string, options: { allowEmpty?: boolean } = {}): string {
  if (typeof value !== 'string') throw new ValidationError(`${what} must be a string (got ${typeOf(value)})`);
  if (!options.allowEmpty && value.length === 0) throw new ValidationError(`${what} must not be empty`);
  return storableText(value);
}

export function optionalText(value: unknown, what: string): string | null {
  return value === null || value === undefined ? null : requireText(value, what, { allowEmpty: true });
}

/** ISO 8601 UTC text for a timestamptz parameter; years outside 1..9999 are refused (see timestamps.ts). */
export function requireTimestamp(value: unknown, what: string): string {
  // The canonical form of a real calendar date is already its own ISO text.
  if (typeof value === 'string' && isCanonicalIso(value)) return value;
  return new Date(requireTimestampMs(value, what)).toISOString();
}

export function optionalTimestamp(value: unknown, what: string): string | null {
  return value === null || value === undefined ? null : requireTimestamp(value, what);
}

/** The instant as ms since the Unix epoch (an integer); the same rule and errors as requireTimestamp. */
export function requireTimestampMs(value: unknown, what: string): number {
  const ms = instantMs(value);
  if (Number.isNaN(ms)) {
    if (typeof value !== 'string' && !(value instanceof Date)) {
      throw new ValidationError(`${what} must be a Date or an ISO 8601 string (got ${typeOf(value)})`);
    }
    throw new ValidationError(`${what} is not a valid timestamp between years 1 and 9999`);
  }
  return ms;
}

export function optionalTimestampMs(value: unknown, what: string): number | null {
  return value === null || value === undefined ? null : requireTimestampMs(value, what);
}

export function requireInteger(value: unknown, what: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ValidationError(`${what} must be an integer in [${min}, ${max}] (got ${describeValue(value)})`);
  }
  return value;
}

/** A Kafka partition number: 0 ≤ p ≤ 2^31 − 1. */
export function requirePartition(value: unknown, what: string): number {
  return requireInteger(value, what, 0, INT32_MAX);
}

/** A Kafka offset: a non-negative safe integer (offsets beyond 2^53 do not occur in practice). */
export function requireOffset(value: unknown, what: string): number {
  return requireInteger(value, what, 0, Number.MAX_SAFE_INTEGER);
}

export function requireFiniteNumber(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValidationError(`${what} must be a finite number (got ${describeValue(value)})`);
  }
  return value;
}

export function requireArray<T>(value: readonly T[] | undefined | null, what: string): readonly T[] {
  if (!Array.isArray(value)) throw new ValidationError(`${what} must be an array (got ${typeOf(value)})`);
  return value;
}

function typeOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

function describeValue(value: unknown): string {
  return typeof value === 'number' ? String(value) : typeOf(value);
}
