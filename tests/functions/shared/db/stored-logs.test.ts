import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../functions/shared/errors.js';
import { countLogs, countLogsUpTo, recentLogsForTraining, storeDetectorBatch } from '../../../../functions/shared/db/index.js';
import { createTestDatabase, type TestDatabase } from '../../../helpers/postgres.js';
import { newLog } from './db-fixtures.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  // Offsets 0..19 with ts increasing by offset; stored in two batches, newest batch first.
  await storeDetectorBatch(db.pool, { logs: Array.from({ length: 10 }, (_, i) => newLog(10 + i)), anomalies: [], deadLetters: [] });
  await storeDetectorBatch(db.pool, {
    logs: Array.from({ length: 10 }, (_, i) => newLog(i, { experimentId: i < 4 ? 'exp-2' : 'exp-1' })),
    anomalies: [],
    deadLetters: [],
  });
});
afterAll(async () => {
  await db.drop();
});

describe('recentLogsForTraining', () => {
  it('returns the newest logs by timestamp, oldest first', async () => {
    // Act
    const logs = await recentLogsForTraining(db.pool, 5);

    // Assess
    expect(logs.map((log) => log.offset)).toEqual([15, 16, 17, 18, 19]);
  });

  it('returns every field needed to rebuild the record', async () => {
    // Prepare
    const original = newLog(19);

    // Act
    const [log] = await recentLogsForTraining(db.pool, 1);

    // Assess
    expect(log).toMatchObject({
      logId: original.logId,
      ts: original.ts,
      service: original.service,
      level: original.level,
      message: original.message,
      host: original.host,
      traceId: original.traceId,
      experimentId: original.experimentId,
      producerId: original.producerId,
      label: original.label,
      topic: original.topic,
      partition: original.partition,
      offset: 19,
      producedAt: original.producedAt,
    });
    expect(typeof log!.id).toBe('number');
    expect(Date.parse(log!.storedAt)).not.toBeNaN();
  });

  it('returns all logs when fewer than the limit exist', async () => {
    // Act
    const logs = await recentLogsForTraining(db.pool, 1_000);

    // Assess
    expect(logs.map((log) => log.offset)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it.each([0, -1, 1.5, Number.NaN, 200_001, '10'])('refuses limit %s', async (limit) => {
    // Act
    const outcome = recentLogsForTraining(db.pool, limit as number);

    // Assess
    await expect(outcome).rejects.toThrow(ValidationError);
    await expect(outcome).rejects.toThrow(/limit must be an integer in \[1, 200000\]/);
  });
});

describe('countLogs', () => {
  it('counts all logs or those of one experiment', async () => {
    // Act
    const all = await countLogs(db.pool);
    const second = await countLogs(db.pool, { experimentId: 'exp-2' });
    const none = await countLogs(db.pool, { experimentId: `'; DROP TABLE logs; --` });

    // Assess
    expect(all).toBe(20);
    expect(second).toBe(4);
    expect(none).toBe(0);
  });
});

describe('countLogsUpTo', () => {
  it('counts the logs but stops at the bound, and refuses a bound that is not a count', async () => {
    // Act
    const capped = await countLogsUpTo(db.pool, 5);
    const exact = await countLogsUpTo(db.pool, 1_000);
    const zero = await countLogsUpTo(db.pool, 0);

    // Assess
    expect(capped).toBe(5);
    expect(exact).toBe(20);
    expect(zero).toBe(0);
    await expect(countLogsUpTo(db.pool, -1)).rejects.toThrow(ValidationError);
    await expect(countLogsUpTo(db.pool, 1.5)).rejects.toThrow(ValidationError);
  });
});
