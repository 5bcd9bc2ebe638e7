/**
 * storeDetectorBatch tells a redelivery from a new record at reused Kafka coordinates by the
 * stored fingerprint (migration 010): same fingerprint (or one unknown) → duplicate; different →
 * the new record is dead-lettered "offset reused" and the stored row stays as it was.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { storeDetectorBatch, type NewLog, type StoredCoordinates } from '../../../../functions/shared/db/index.js';
import { LogRow } from '../../../../functions/shared/db/log-rows.js';
import { createTestDatabase, type TestDatabase } from '../../../helpers/postgres.js';
import { anomalyFor, newLog } from './db-fixtures.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});
beforeEach(async () => {
  await db.pool.query('TRUNCATE logs, anomalies, dead_letters RESTART IDENTITY CASCADE');
});

/** Log `offset` (partition offset % 3) with the given fingerprint and message. */
function fingerprinted(offset: number, fingerprint: number | null, message = `request ${offset}`): NewLog {
  return newLog(offset, { fingerprint, message });
}

async function storedLogs(): Promise<Array<{ offset: number; message: string; fingerprint: string | null }>> {
  const result = await db.pool.query('SELECT kafka_offset::int AS offset, message, fingerprint::text FROM logs ORDER BY kafka_offset');
  return result.rows;
}

async function storedLetters(): Promise<Array<{ offset: number; reason: string; component: string; raw_value: Buffer }>> {
  const result = await db.pool.query('SELECT kafka_offset::int AS offset, reason, component, raw_value FROM dead_letters ORDER BY kafka_offset');
  return result.rows;
}

describe('storeDetectorBatch: fingerprints at reused coordinates', () => {
  it('stores each log\'s fingerprint, up to 2^53 − 1, and NULL when it has none', async () => {
    // Act
    await storeDetectorBatch(db.pool, { logs: [fingerprinted(1, 0), fingerprinted(2, Number.MAX_SAFE_INTEGER), fingerprinted(3, null), newLog(4)], anomalies: [], deadLetters: [] });

    // Assess
    expect((await storedLogs()).map((row) => row.fingerprint)).toEqual(['0', '9007199254740991', null, null]);
  });

  it('counts a log with the stored fingerprint, or an unknown one on either side, as already present', async () => {
    // Prepare: 1 and 2 known, 3 stored before fingerprints (NULL)
    await storeDetectorBatch(db.pool, { logs: [fingerprinted(1, 11), fingerprinted(2, 22), fingerprinted(3, null)], anomalies: [], deadLetters: [] });

    // Act: 1 the same record; 2 with its fingerprint unknown; 3 known now, unknown when stored
    const result = await storeDetectorBatch(db.pool, { logs: [fingerprinted(1, 11), fingerprinted(2, null, 'other'), fingerprinted(3, 33, 'other')], anomalies: [], deadLetters: [] });

    // Assess
    expect(result).toEqual({
      logs: { inserted: 0, alreadyPresent: 3 },
      anomalies: { inserted: 0, alreadyPresent: 0 },
      lateAnomalies: { inserted: 0, raised: 0, alreadyPresent: 0 },
      deadLetters: { inserted: 0, alreadyPresent: 0 },
      offsetReused: { inserted: 0, alreadyPresent: 0 },
    });
    expect(await storedLetters()).toEqual([]);
  });

  it('dead-letters a log whose coordinates hold another record, with the caller\'s bytes and reason "offset reused", leaving the stored row and its anomaly alone', async () => {
    // Prepare
    const first = fingerprinted(3, 1001, 'first record');
    await storeDetectorBatch(db.pool, { logs: [first], anomalies: [anomalyFor(first)], deadLetters: [] });
    const second = fingerprinted(3, 2002, 'second record');
    let given: StoredCoordinates | null = null;

    // Act: the caller flags the new record, and gives its dead letter under some other reason
    const result = await storeDetectorBatch(db.pool, {
      logs: [second, fingerprinted(4, 4004)],
      anomalies: async (found) => {
        given = found;
        return [anomalyFor(second, { score: 0.99 })];
      },
      deadLetters: [],
      offsetReused: (row) => ({ ...row, rawKey: Buffer.from('k'), rawValue: Buffer.from(`bytes of ${row.message}`), headers: [], reason: 'whatever', component: 'detector' }),
    });
    const again = await storeDetectorBatch(db.pool, { logs: [second], anomalies: [], deadLetters: [] });

    // Assess
    expect(result).toEqual({
      logs: { inserted: 1, alreadyPresent: 0 },
      anomalies: { inserted: 0, alreadyPresent: 0 },
      lateAnomalies: { inserted: 0, raised: 0, alreadyPresent: 0 },
      deadLetters: { inserted: 0, alreadyPresent: 0 },
      offsetReused: { inserted: 1, alreadyPresent: 0 },
    });
    expect(given!.reused.map((row) => row.offset)).toEqual([3]);
    expect([...given!.reusedKeys]).toHaveLength(1);
    expect(given!.duplicates.size).toBe(0);
    expect(await storedLogs()).toEqual([
      { offset: 3, message: 'first record', fingerprint: '1001' },
      { offset: 4, message: 'request 4', fingerprint: '4004' },
    ]);
    const anomaly = await db.pool.query('SELECT a.score, l.message FROM anomalies a JOIN logs l ON l.id = a.log_pk');
    expect(anomaly.rows).toEqual([{ score: 0.71, message: 'first record' }]);
    expect(await storedLetters()).toEqual([{ offset: 3, reason: 'offset reused', component: 'detector', raw_value: Buffer.from('bytes of second record') }]);
    // Its redelivery: the dead letter is already there.
    expect(again.offsetReused).toEqual({ inserted: 0, alreadyPresent: 1 });
  });

  it('keeps the row\'s fields as JSON when the caller gives no dead letter of its own', async () => {
    // Prepare
    await storeDetectorBatch(db.pool, { logs: [fingerprinted(5, 1)], anomalies: [], deadLetters: [] });

    // Act
    const result = await storeDetectorBatch(db.pool, { logs: [fingerprinted(5, 2, 'the new one')], anomalies: [], deadLetters: [] });

    // Assess
    expect(result.offsetReused).toEqual({ inserted: 1, alreadyPresent: 0 });
    const [letter] = await storedLetters();
    expect(letter).toMatchObject({ offset: 5, reason: 'offset reused', component: 'detector' });
    expect(JSON.parse(letter!.raw_value.toString('utf8'))).toMatchObject({ logId: 'log-5', message: 'the new one', fingerprint: 2 });
  });

  it('refuses a fingerprint outside [0, 2^53), naming the field', () => {
    // Act + Assess
    for (const fingerprint of [-1, 2 ** 53, 1.5, Number.NaN]) {
      expect(() => new LogRow(newLog(1, { fingerprint }), 'log record')).toThrow(/log record\.fingerprint must be an integer in \[0, 9007199254740991\]/);
    }
  });
});
