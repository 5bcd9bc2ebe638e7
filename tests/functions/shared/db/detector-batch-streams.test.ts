import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InfrastructureError, StreamConflictError, ValidationError } from '../../../../functions/shared/errors.js';
import { StreamRow, storeDetectorBatch, withTransaction, writeDetectorStreams, type StreamWrite } from '../../../../functions/shared/db/index.js';
import { createTestDatabase, type TestDatabase } from '../../../helpers/postgres.js';
import { anomalyFor, deadLetter, newLog } from './db-fixtures.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});
beforeEach(async () => {
  await db.pool.query('TRUNCATE logs, anomalies, dead_letters, detector_streams RESTART IDENTITY CASCADE');
});

function streamWrite(key: string, overrides: Partial<StreamWrite> = {}): StreamWrite {
  return { key, expectedRevision: null, modelVersion: 'model-v1', nextOffset: 3, state: { records: 3 }, ...overrides };
}

async function counts(): Promise<{ logs: number; anomalies: number; deadLetters: number; streams: number }> {
  const result = await db.pool.query(
    `SELECT (SELECT count(*) FROM logs)::int AS logs, (SELECT count(*) FROM anomalies)::int AS anomalies,
            (SELECT count(*) FROM dead_letters)::int AS "deadLetters", (SELECT count(*) FROM detector_streams)::int AS streams`,
  );
  return result.rows[0];
}

async function streams(): Promise<unknown[]> {
  return (await db.pool.query('SELECT stream_key, next_offset, revision, state FROM detector_streams ORDER BY stream_key')).rows;
}

/** A trigger that makes every INSERT into `table` fail in PostgreSQL itself (dropped by the returned function). */
async function failInserts(table: 'anomalies' | 'dead_letters'): Promise<() => Promise<void>> {
  await db.pool.query(`CREATE FUNCTION refuse_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'insert refused by test trigger'; END $$`);
  await db.pool.query(`CREATE TRIGGER refuse_insert BEFORE INSERT ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION refuse_insert()`);
  return async () => {
    await db.pool.query(`DROP TRIGGER refuse_insert ON ${table}`);
    await db.pool.query('DROP FUNCTION refuse_insert()');
  };
}

describe('storeDetectorBatch with stream writes', () => {
  it('writes the streams the scoring returns in the same transaction as the logs and anomalies', async () => {
    // Prepare
    const logs = [newLog(0), newLog(3), newLog(1)];
    let calls = 0;

    // Act
    const result = await storeDetectorBatch(db.pool, {
      logs,
      anomalies: async () => {
        calls += 1;
        return {
          anomalies: [anomalyFor(logs[1]!)],
          streams: [streamWrite('logs-0', { nextOffset: 4 }), new StreamRow(streamWrite('logs-1', { nextOffset: 2 }), 'row')],
        };
      },
      deadLetters: [deadLetter(9)],
    });

    // Assess
    expect(calls).toBe(1);
    expect(result).toEqual({ logs: { inserted: 3, alreadyPresent: 0 }, anomalies: { inserted: 1, alreadyPresent: 0 }, deadLetters: { inserted: 1, alreadyPresent: 0 }, lateAnomalies: { inserted: 0, raised: 0, alreadyPresent: 0 }, offsetReused: { inserted: 0, alreadyPresent: 0 } });
    expect(await streams()).toEqual([
      { stream_key: 'logs-0', next_offset: '4', revision: '0', state: { records: 3 } },
      { stream_key: 'logs-1', next_offset: '2', revision: '0', state: { records: 3 } },
    ]);
  });

  it('rolls back the logs, anomalies and dead letters when a stream moved since it was read (StreamConflictError)', async () => {
    // Prepare: logs-0 is at revision 1; the batch read revision 0
    await withTransaction(db.pool, (session) => writeDetectorStreams(session, [streamWrite('logs-0')]));
    await withTransaction(db.pool, (session) => writeDetectorStreams(session, [streamWrite('logs-0', { expectedRevision: 0, state: { records: 7 } })]));
    const logs = [newLog(3), newLog(6)];

    // Act
    const outcome = storeDetectorBatch(db.pool, {
      logs,
      anomalies: async () => ({ anomalies: [anomalyFor(logs[0]!)], streams: [streamWrite('logs-0', { expectedRevision: 0, nextOffset: 7 })] }),
      deadLetters: [deadLetter(8)],
    });

    // Assess
    await expect(outcome).rejects.toThrow(StreamConflictError);
    await expect(outcome).rejects.toBeInstanceOf(InfrastructureError);
    expect(await counts()).toEqual({ logs: 0, anomalies: 0, deadLetters: 0, streams: 1 });
    expect(await streams()).toEqual([{ stream_key: 'logs-0', next_offset: '3', revision: '1', state: { records: 7 } }]);
  });

  it('writes no stream when the anomalies insert fails in PostgreSQL', async () => {
    // Prepare
    const restore = await failInserts('anomalies');
    const logs = [newLog(0), newLog(3)];

    try {
      // Act
      const outcome = storeDetectorBatch(db.pool, {
        logs,
        anomalies: async () => ({ anomalies: [anomalyFor(logs[0]!)], streams: [streamWrite('logs-0')] }),
        deadLetters: [],
      });

      // Assess
      await expect(outcome).rejects.toThrow(/insert refused by test trigger/);
      expect(await counts()).toEqual({ logs: 0, anomalies: 0, deadLetters: 0, streams: 0 });
    } finally {
      await restore();
    }
  });

  it('rolls the stream writes back with the batch when a later statement (the dead letters) fails', async () => {
    // Prepare: logs-0 exists at revision 0; the batch moves it to 1, then its dead-letter insert fails
    await withTransaction(db.pool, (session) => writeDetectorStreams(session, [streamWrite('logs-0')]));
    const before = await streams();
    const restore = await failInserts('dead_letters');
    const logs = [newLog(3), newLog(4)];

    try {
      // Act
      const outcome = storeDetectorBatch(db.pool, {
        logs,
        anomalies: async () => ({ anomalies: [], streams: [streamWrite('logs-0', { expectedRevision: 0, nextOffset: 4 }), streamWrite('logs-1', { nextOffset: 5 })] }),
        deadLetters: [deadLetter(10)],
      });

      // Assess
      await expect(outcome).rejects.toThrow(/insert refused by test trigger/);
      expect(await streams()).toEqual(before);
      expect(await counts()).toEqual({ logs: 0, anomalies: 0, deadLetters: 0, streams: 1 });
    } finally {
      await restore();
    }
  });

  it('refuses an invalid stream write before writing anything', async () => {
    // Act
    const outcome = await storeDetectorBatch(db.pool, {
      logs: [newLog(0)],
      anomalies: async () => ({ anomalies: [], streams: [streamWrite('logs\u0000-0')] }),
      deadLetters: [],
    }).catch((error: unknown) => error as Error);
    const notAList = await storeDetectorBatch(db.pool, {
      logs: [newLog(1)],
      anomalies: async () => ({ anomalies: [], streams: 'logs-0' as never }),
      deadLetters: [],
    }).catch((error: unknown) => error as Error);

    // Assess
    expect(outcome).toBeInstanceOf(ValidationError);
    expect((outcome as Error).message).toMatch(/streams\[0\]\.key holds a NUL/);
    expect(notAList).toBeInstanceOf(ValidationError);
    expect((notAList as Error).message).toMatch(/batch\.streams must be an array/);
    expect(await counts()).toEqual({ logs: 0, anomalies: 0, deadLetters: 0, streams: 0 });
  });
});
