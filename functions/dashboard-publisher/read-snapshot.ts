import { withDatabaseErrors, withTransaction, type Db, type Session } from '../shared/db/index.js';

/**
 * Runs `read` in one read-only REPEATABLE READ transaction: every query of one object sees the same
 * data and the same now(), so totals, charts and lists agree with each other.
 * Database failures become InfrastructureError naming `operation`.
 */
export function inReadSnapshot<T>(db: Db, operation: string, read: (session: Session) => Promise<T>): Promise<T> {
  return withDatabaseErrors(operation, () =>
    withTransaction(db, async (session) => {
      await session.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      return read(session);
    }),
  );
}
