/**
 * Cross-process mutual exclusion through PostgreSQL advisory locks, e.g. so only one detector
 * invocation trains a model at a time.
 *
 * `withAdvisoryLock` holds a SESSION-level lock on one pooled connection for the duration of `fn`
 * and never waits: if another session holds the lock it returns `{ acquired: false }` at once.
 * The lock is released when `fn` settles; if releasing fails the connection is destroyed, and the
 * server frees a session's locks when the session ends (also when a Lambda dies mid-way and its
 * connection drops). Needs a direct or session-pooled connection (not a transaction-mode pooler).
 */
import { createHash } from 'node:crypto';
import { ValidationError } from '../errors.js';
import type pg from 'pg';
import { toPipelineError, withDatabaseErrors } from './database-errors.js';

export type LockOutcome<T> = { readonly acquired: true; readonly value: T } | { readonly acquired: false };

const MAX_LOCK_NAME_LENGTH = 200;

/** The signed 64-bit lock key for a name: the first 8 bytes of its SHA-256, as decimal text. */
export function advisoryLockKey(lockName: string): string {
  if (typeof lockName !== 'string' || lockName.length === 0 || lockName.length > MAX_LOCK_NAME_LENGTH) {
    throw new ValidationError(`lock name must be a string of 1..${MAX_LOCK_NAME_LENGTH} characters`);
  }
  return createHash('sha256').update(lockName, 'utf8').digest().readBigInt64BE(0).toString();
}

export async function withAdvisoryLock<T>(pool: pg.Pool, lockName: string, fn: () => Promise<T>): Promise<LockOutcome<T>> {
  const key = advisoryLockKey(lockName);
  const client = await withDatabaseErrors('withAdvisoryLock', () => pool.connect());
  // Set when the session itself failed: it is then destroyed instead of returned to the pool.
  let broken: Error | undefined;
  try {
    let acquired: boolean;
    try {
      const result = await client.query<{ acquired: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS acquired', [key]);
      acquired = result.rows[0]?.acquired === true;
    } catch (error) {
      broken = error as Error;
      throw toPipelineError('withAdvisoryLock', error);
    }
    if (!acquired) return { acquired: false };
    try {
      return { acquired: true, value: await fn() };
    } finally {
      try {
        await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
      } catch (error) {
        // Destroying the session releases the lock server-side; fn's own outcome is what matters.
        broken = error as Error;
      }
    }
  } finally {
    client.release(broken);
  }
}
