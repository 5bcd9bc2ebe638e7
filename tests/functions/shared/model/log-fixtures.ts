import type { LogRecord } from '../../../../functions/shared/log/index.js';

/** A tiny seeded PRNG (mulberry32) so fixtures are the same on every run. Returns [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SERVICES = ['api', 'auth', 'billing', 'search'] as const;
const PATHS = ['/v1/orders', '/v1/users/me', '/v1/search?q=shoes', '/healthz', '/v1/cart'] as const;

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * `count` ordinary records from four services between 08:00 and 17:59 UTC on 2026-11-24: mostly
 * INFO/DEBUG request lines of 30–70 characters, some WARN lines with a warning keyword and a few
 * short ERROR lines with an error keyword; ids `${idPrefix}-<i>`.
 */
export function normalRecords(count: number, seed = 1, idPrefix = 'n'): LogRecord[] {
  const random = seededRandom(seed);
  const records: LogRecord[] = [];
  for (let i = 0; i < count; i++) {
    const roll = random();
    const path = pick(random, PATHS);
    const ms = Math.floor(random() * 90) + 5;
    const [level, message]: [LogRecord['level'], string] =
      roll < 0.8
        ? ['INFO', `handled GET ${path} status=200 in ${ms}ms`]
        : roll < 0.92
          ? ['DEBUG', `cache lookup ${path} hit=${ms % 2 === 0}`]
          : roll < 0.98
            ? ['WARN', `slow response on ${path}: ${ms * 10}ms, will retry`]
            : ['ERROR', `upstream timeout on ${path}`];
    records.push({
      id: `${idPrefix}-${i}`,
      ts: `2026-11-24T${two(8 + Math.floor(random() * 10))}:${two(Math.floor(random() * 60))}:${two(Math.floor(random() * 60))}.000Z`,
      service: pick(random, SERVICES),
      level,
      message,
      host: `web-${Math.floor(random() * 4)}.internal`,
    });
  }
  return records;
}

/**
 * `count` records unlike the normal ones: FATAL/ERROR with long exception messages at 03:xx UTC
 * from a service the normal data never shows.
 */
export function anomalousRecords(count: number, seed = 2, idPrefix = 'a'): LogRecord[] {
  const random = seededRandom(seed);
  const records: LogRecord[] = [];
  for (let i = 0; i < count; i++) {
    const stack = 'at com.example.Ledger.post(Ledger.java:42) '.repeat(5 + Math.floor(random() * 20));
    records.push({
      id: `${idPrefix}-${i}`,
      ts: `2026-11-24T03:${two(Math.floor(random() * 60))}:00.000Z`,
      service: 'payments-legacy',
      level: random() < 0.5 ? 'FATAL' : 'ERROR',
      message: `unhandled exception: connection pool exhausted, request failed ${stack}`,
      host: 'batch-9.internal',
    });
  }
  return records;
}
