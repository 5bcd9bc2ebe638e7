/** Kafka topic names: 1–249 of [A-Za-z0-9._-]. */
const topicPattern = /^[A-Za-z0-9._-]{1,249}$/;
const maxPartition = 2 ** 31 - 1;
const maxOffset = 2n ** 63n - 1n;

export function isTopicName(value: unknown): value is string {
  return typeof value === 'string' && topicPattern.test(value);
}

/** A partition number given as a JSON number or a decimal string; null when it is neither. */
export function readPartition(value: unknown): number | null {
  const number = typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) && number >= 0 && number <= maxPartition ? number : null;
}

/** An offset given as a safe-integer JSON number or a decimal string, as a canonical decimal string. */
export function readOffset(value: unknown): string | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? String(value) : null;
  if (typeof value !== 'string' || !/^\d{1,19}$/.test(value)) return null;
  const offset = BigInt(value);
  return offset <= maxOffset ? offset.toString() : null;
}

/** Milliseconds since the epoch as a number or decimal string; -1 means "none". */
export function readTimestamp(value: unknown): number | null {
  const number = typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) && number >= -1 && number <= 8.64e15 ? number : null;
}

/**
 * Splits a records-map key "<topic>-<partition>" at its last dash (topic names may contain
 * dashes; partitions never do). Null when the key has no such shape.
 */
export function parseRecordsKey(key: string): { topic: string; partition: number } | null {
  const dash = key.lastIndexOf('-');
  if (dash <= 0) return null;
  const topic = key.slice(0, dash);
  const partition = readPartition(key.slice(dash + 1));
  return isTopicName(topic) && partition !== null ? { topic, partition } : null;
}

/** Orders offsets numerically (they are decimal strings without leading zeros). */
export function compareOffsets(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}
