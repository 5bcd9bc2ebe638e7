/**
 * The rollups (migration 011) stay equal to counts of the raw rows under everything the detector's
 * batches meet: redelivery, overlap, reused offsets, anomalies on logs of earlier batches, late
 * anomalies added or raised, dead letters of both writers, and concurrent batches.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { insertDeadLetters, storeDetectorBatch, type NewAnomaly, type NewLog } from '../../../../functions/shared/db/index.js';
import { createTestDatabase, type TestDatabase } from '../../../helpers/postgres.js';
import { anomalyFor, deadLetter, newLog } from './db-fixtures.js';
import { backdatePartition, rollupsOfRawRows, rollupTotals, storedRollups, TRUNCATE_ALL } from './rollup-fixtures.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase({ pool: { max: 10 } });
});
afterAll(async () => {
  await db.drop();
});
beforeEach(async () => {
  await db.pool.query(TRUNCATE_ALL);
});

const logs = (from: number, to: number, overrides: Partial<NewLog> = {}): NewLog[] => Array.from({ length: to - from + 1 }, (_, i) => newLog(from + i, overrides));

describe('rollups kept by storeDetectorBatch', () => {
  it('count each log, anomaly and dead letter once across redelivered and overlapping batches', async () => {
    // Prepare
    const first = { logs: logs(0, 29), anomalies: [0, 10, 20].map((o) => anomalyFor(newLog(o))), deadLetters: [deadLetter(100), deadLetter(101)] };
    const overlapping = { logs: logs(20, 49), anomalies: [20, 30, 40].map((o) => anomalyFor(newLog(o))), deadLetters: [deadLetter(101), deadLetter(102)] };

    // Act
    await storeDetectorBatch(db.pool, first);
    await storeDetectorBatch(db.pool, first);
    await storeDetectorBatch(db.pool, overlapping);
    await storeDetectorBatch(db.pool, overlapping);

    // Assess
    expect(await rollupTotals(db.pool)).toEqual({ logs: 50, anomalies: 5, deadLetters: 3 });
    expect(await storedRollups(db.pool)).toEqual(await rollupsOfRawRows(db.pool));
  });

  it("count an anomaly that a redelivery adds to a log of an earlier minute in its log's minute", async () => {
    // Prepare: partition 1's logs stored 10 minutes ago, none flagged
    const partitionOne = logs(0, 8, { partition: 1 });
    await storeDetectorBatch(db.pool, { logs: partitionOne, anomalies: [], deadLetters: [] });
    await backdatePartition(db.pool, 'logs', 1, 10);

    // Act: the same records again, now one of them flagged (a newer model)
    const result = await storeDetectorBatch(db.pool, { logs: partitionOne, anomalies: [anomalyFor(partitionOne[4]!)], deadLetters: [] });

    // Assess
    expect(result.logs).toEqual({ inserted: 0, alreadyPresent: 9 });
    expect(result.anomalies).toEqual({ inserted: 1, alreadyPresent: 0 });
    const rollups = await storedRollups(db.pool);
    expect(rollups).toEqual(await rollupsOfRawRows(db.pool));
    expect(rollups.logs.filter((row) => row.anomalies > 0)).toEqual([expect.objectContaining({ service: partitionOne[4]!.service, level: partitionOne[4]!.level, anomalies: 1 })]);
    expect(new Set(rollups.logs.map((row) => row.minute.getTime())).size).toBe(1);
  });

  it('count records at reused offsets as dead letters, never as logs, and their redelivery as nothing', async () => {
    // Prepare: three records stored with fingerprints
    await storeDetectorBatch(db.pool, { logs: [1, 2, 3].map((o) => newLog(o, { fingerprint: o })), anomalies: [], deadLetters: [] });
    const reused = { logs: [1, 2, 3, 4].map((o) => newLog(o, { fingerprint: 1000 + o, message: 'another record' })), anomalies: async () => [anomalyFor(newLog(2)), anomalyFor(newLog(4))], deadLetters: [] };

    // Act
    const result = await storeDetectorBatch(db.pool, reused);
    const again = await storeDetectorBatch(db.pool, reused);

    // Assess
    expect(result.offsetReused).toEqual({ inserted: 3, alreadyPresent: 0 });
    expect(again.offsetReused).toEqual({ inserted: 0, alreadyPresent: 3 });
    expect(await rollupTotals(db.pool)).toEqual({ logs: 4, anomalies: 1, deadLetters: 3 });
    expect(await storedRollups(db.pool)).toEqual(await rollupsOfRawRows(db.pool));
  });

  it('count a late anomaly that adds a row, not one that raises a score or loses to a higher one', async () => {
    // Prepare: an earlier batch, 3 minutes ago, with log 1 flagged
    const earlier = logs(1, 3, { partition: 0 });
    await storeDetectorBatch(db.pool, { logs: earlier, anomalies: [anomalyFor(earlier[0]!)], deadLetters: [] });
    await backdatePartition(db.pool, 'logs', 0, 3);
    const late = (offset: number, score: number): NewAnomaly => anomalyFor(newLog(offset, { partition: 0 }), { score });

    // Act: raise log 1, flag log 2, name a log never stored, raise log 4 flagged by this same batch; then a lower verdict on log 2
    const ownLog = newLog(4, { partition: 0 });
    const raised = await storeDetectorBatch(db.pool, {
      logs: [ownLog],
      anomalies: async () => ({ anomalies: [anomalyFor(ownLog, { score: 0.7 })], late: [late(1, 0.9), late(2, 0.8), late(4, 0.99), late(77, 0.99)], streams: [] }),
      deadLetters: [],
    });
    const lower = await storeDetectorBatch(db.pool, { logs: [newLog(5, { partition: 0 })], anomalies: async () => ({ anomalies: [], late: [late(2, 0.5)], streams: [] }), deadLetters: [] });

    // Assess
    expect(raised.anomalies).toEqual({ inserted: 1, alreadyPresent: 0 });
    expect(raised.lateAnomalies).toEqual({ inserted: 1, raised: 2, alreadyPresent: 1 });
    expect(lower.lateAnomalies).toEqual({ inserted: 0, raised: 0, alreadyPresent: 1 });
    expect(await rollupTotals(db.pool)).toEqual({ logs: 5, anomalies: 3, deadLetters: 0 });
    expect(await storedRollups(db.pool)).toEqual(await rollupsOfRawRows(db.pool));
  });

  it("count the metrics aggregator's dead letters by their received_at minute, once", async () => {
    // Prepare
    const letters = [
      deadLetter(1, { topic: 'metrics', component: 'metrics-aggregator', receivedAt: '2024-05-01T12:00:59.999Z' }),
      deadLetter(2, { topic: 'metrics', component: 'metrics-aggregator', receivedAt: '2024-05-01T12:01:00.000Z' }),
      deadLetter(3, { topic: 'metrics', component: 'metrics-aggregator' }),
    ];

    // Act
    await insertDeadLetters(db.pool, letters);
    await insertDeadLetters(db.pool, letters);

    // Assess
    const rollups = await storedRollups(db.pool);
    expect(rollups).toEqual(await rollupsOfRawRows(db.pool));
    expect(rollups.deadLetters.slice(0, 2)).toEqual([
      { minute: new Date('2024-05-01T12:00:00.000Z'), topic: 'metrics', partition: 0, component: 'metrics-aggregator', dead_letters: 1 },
      { minute: new Date('2024-05-01T12:01:00.000Z'), topic: 'metrics', partition: 0, component: 'metrics-aggregator', dead_letters: 1 },
    ]);
  });

  it('leave nothing behind when the batch rolls back', async () => {
    // Act
    const outcome = storeDetectorBatch(db.pool, { logs: logs(1, 5), anomalies: async () => Promise.reject(new Error('scoring failed')), deadLetters: [deadLetter(9)] });

    // Assess
    await expect(outcome).rejects.toThrow('scoring failed');
    expect(await rollupTotals(db.pool)).toEqual({ logs: 0, anomalies: 0, deadLetters: 0 });
  });
});

describe('rollups under concurrent batches', () => {
  /** A batch of `count` logs of one partition from `first`, every 7th flagged, with one dead letter. */
  function partitionBatch(partition: number, first: number, count: number) {
    const batchLogs = logs(first, first + count - 1, { partition });
    return {
      logs: batchLogs,
      anomalies: batchLogs.filter((log) => log.offset % 7 === 0).map((log) => anomalyFor(log)),
      deadLetters: [deadLetter(100_000 + first, { partition })],
    };
  }

  it('of five partitions, each with a redelivery racing its first delivery, all commit with exact rollups', async () => {
    // Prepare: per partition, 4 consecutive batches (one poller each), the second delivered twice at once
    const poller = async (partition: number): Promise<void> => {
      for (let batch = 0; batch < 4; batch++) {
        const next = partitionBatch(partition, batch * 200, 250); // overlaps the next batch by 50
        if (batch === 1) await Promise.all([storeDetectorBatch(db.pool, next), storeDetectorBatch(db.pool, next)]);
        else await storeDetectorBatch(db.pool, next);
      }
    };

    // Act
    await Promise.all([0, 1, 2, 3, 4].map(poller));

    // Assess
    expect(await rollupTotals(db.pool)).toEqual({ logs: 5 * 850, anomalies: 5 * 122, deadLetters: 5 * 4 });
    expect(await storedRollups(db.pool)).toEqual(await rollupsOfRawRows(db.pool));
  });

  it("of one partition never wait for another partition's uncommitted rollup rows", async () => {
    // Prepare: an open transaction holds partition 0's rollup row for auth/INFO of this minute and the next
    const holder: pg.PoolClient = await db.pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(
        `INSERT INTO log_rollups (minute, topic, partition, service, level, logs, anomalies)
         SELECT m, 'logs', 0, 'auth', 'INFO', 1, 0 FROM unnest(ARRAY[date_trunc('minute', now()), date_trunc('minute', now()) + interval '1 minute']) AS m`,
      );
      const authInfo = (offset: number, partition: number) => newLog(offset, { partition, service: 'auth', level: 'INFO' });

      // Act: partition 1 stores at once; partition 0 has to wait for the holder
      const other = await storeDetectorBatch(db.pool, { logs: [authInfo(1, 1), authInfo(2, 1)], anomalies: [], deadLetters: [] });
      let samePartitionDone = false;
      const samePartition = storeDetectorBatch(db.pool, { logs: [authInfo(1, 0)], anomalies: [], deadLetters: [] }).then(() => (samePartitionDone = true));
      await waitForLockWaiter(db.pool);
      const waitedWhileHeld = !samePartitionDone;
      await holder.query('ROLLBACK');
      await samePartition;

      // Assess
      expect(other.logs).toEqual({ inserted: 2, alreadyPresent: 0 });
      expect(waitedWhileHeld).toBe(true);
      expect(await storedRollups(db.pool)).toEqual(await rollupsOfRawRows(db.pool));
    } finally {
      holder.release();
    }
  });
});

/** Resolves once a backend of this database waits for a lock. */
async function waitForLockWaiter(pool: pg.Pool): Promise<void> {
  for (;;) {
    const waiting = await pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
    if (waiting.rows[0].n > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
