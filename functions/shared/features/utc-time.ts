import { ValidationError } from '../errors.js';

/** Hour (0–23) and minute (0–59) of a timestamp, in UTC. */
export interface UtcTimeOfDay {
  readonly hour: number;
  readonly minute: number;
}

// The record schema guarantees `YYYY-MM-DDTHH:MM:SS[.fff…]Z`; read the digits directly (exact, no Date).
const ISO_UTC_PREFIX = /^\d{4}-\d{2}-\d{2}T(\d{2}):(\d{2}):\d{2}/;

export function utcTimeOfDay(ts: string): UtcTimeOfDay {
  const match = ISO_UTC_PREFIX.exec(ts);
  if (match !== null && ts.endsWith('Z')) {
    const hour = Number(match[1]);
    const minute = Number(match[2]);
    if (hour < 24 && minute < 60) return { hour, minute };
  }
  throw new ValidationError(`field "ts" must be an ISO-8601 UTC timestamp, got ${JSON.stringify(ts.slice(0, 40))}`);
}
