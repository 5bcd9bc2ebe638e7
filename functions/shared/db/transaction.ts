/**
 * Runs a function inside one transaction on one session. Given a pool, a client is checked out for
 * the transaction and returned afterwards (destroyed if the rollback itself failed, so a broken
 * session never goes back into the pool). Given a client, the caller must not already be inside a
 * transaction on it.
 */
import type pg from 'pg';
import { isPool, type Db } from './pool.js';

export type Session = pg.PoolClient | pg.Client;

export async function withTransaction<T>(db: Db, fn: (session: Session) => Promise<T>): Promise<T> {
  if (!isPool(db)) return inTransaction(db, fn);
  const client = await db.connect();
  let broken: Error | undefined;
  try {
    return await inTransaction(client, fn, (error) => (broken = error));
  } finally {
    client.release(broken);
  }
}

async function inTransaction<T>(session: Session, fn: (session: Session) => Promise<T>, onBroken?: (error: Error) => void): Promise<T> {
  await session.query('BEGIN');
  let result: T;
  try {
    result = await fn(session);
  } catch (error) {
    await session.query('ROLLBACK').catch((rollbackError: Error) => onBroken?.(rollbackError));
    throw error;
  }
  try {
    await session.query('COMMIT');
  } catch (error) {
    onBroken?.(error as Error);
    throw error;
  }
  return result;
}
