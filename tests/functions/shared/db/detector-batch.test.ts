import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../functions/shared/errors.js';
import { storeDetectorBatch, type NewLog } from '../../../../functions/shared/db/index.js';
import { LogRow, toLogRow } from '../../../../functions/shared/db/log-rows.js';
import { createTestDatabase, type TestDatabase } from '../../../helpers/postgres.js';
import { anomalyFor, deadLetter, newLog } from './db-fixtures.js';

const BASE_PRODUCED = Date.parse('2024-05-01T12:00:00.005Z');

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

async function tableCounts(): Promise<{ logs: number; anomalies: number; deadLetters: number }> {
  const result = await db.pool.query(
    `SELECT (SELECT count(*) FROM logs)::int AS logs, (SELECT count(*) FROM anomalies)::int AS anomalies,
            (SELECT count(*) FROM dead_letters)::int AS "deadLetters"`,
  );
  return result.rows[0];
}

async function snapshot(): Promise<unknown[]> {
  const logs = await db.pool.query('SELECT * FROM logs ORDER BY id');
  const anomalies = await db.pool.query('SELECT * FROM anomalies ORDER BY id');
  const letters = await db.pool.query('SELECT * FROM dead_letters ORDER BY id');
  return [logs.rows, anomalies.rows, letters.rows];
}

/** Resolves once a backend of this database waits for a lock another transaction holds. */
async function waitForLockWaiter(): Promise<void> {
  for (;;) {
    const waiting = await db.pool.query(
      `SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
       UNION ALL SELECT count(*)::int FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (waiting.rows.some((row) => row.n > 0)) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('storeDetectorBatch', () => {
  it('stores logs, anomalies and dead letters with every field', async () => {
    // Prepare
    const log = newLog(10);
    const batch = { logs: [log, newLog(11)], anomalies: [anomalyFor(log)], deadLetters: [deadLetter(12)] };

    // Act
    const result = await storeDetectorBatch(db.pool, batch);

    // Assess
    expect(result).toEqual({
      logs: { inserted: 2, alreadyPresent: 0 },
      anomalies: { inserted: 1, alreadyPresent: 0 },
      lateAnomalies: { inserted: 0, raised: 0, alreadyPresent: 0 },
      deadLetters: { inserted: 1, alreadyPresent: 0 },
      offsetReused: { inserted: 0, alreadyPresent: 0 },
    });
    const stored = await db.pool.query(
      `SELECT l.log_id, l.ts, l.service, l.level, l.message, l.host, l.trace_id, l.experiment_id, l.producer_id, l.label,
              l.topic, l.partition, l.kafka_offset, l.produced_at, a.score, a.threshold, a.model_version, a.features,
              a.contributions, a.experiment_id AS anomaly_experiment
       FROM anomalies a JOIN logs l ON l.id = a.log_pk`,
    );
    expect(stored.rows).toEqual([
      {
        log_id: 'log-10', ts: new Date(log.ts), service: log.service, level: 'ERROR', message: log.message, host: 'host-2',
        trace_id: 'trace-10', experiment_id: 'exp-1', producer_id: 'producer-1', label: 'anomaly', topic: 'logs',
        partition: 1, kafka_offset: '10', produced_at: new Date(log.producedAt!), score: 0.71, threshold: 0.62,
        model_version: 'model-v1', features: { messageLength: 42, errorLevel: 1 },
        contributions: [{ feature: 'errorLevel', contribution: 0.6 }], anomaly_experiment: 'exp-1',
      },
    ]);
    const letter = await db.pool.query('SELECT raw_key, raw_value, headers, reason, component, kafka_offset FROM dead_letters');
    expect(letter.rows).toEqual([
      { raw_key: Buffer.from('key-12'), raw_value: Buffer.from('{not json 12'), headers: [{ key: 'label', value: 'normal' }],
        reason: 'value is not valid JSON', component: 'detector', kafka_offset: '12' },
    ]);
  });

  it('adds nothing when the same batch is delivered again', async () => {
    // Prepare
    const logs = Array.from({ length: 50 }, (_, i) => newLog(i));
    const batch = { logs, anomalies: logs.filter((l) => l.offset % 10 === 0).map((l) => anomalyFor(l)), deadLetters: [deadLetter(100)] };
    await storeDetectorBatch(db.pool, batch);
    const before = await snapshot();

    // Act
    const again = await storeDetectorBatch(db.pool, batch);

    // Assess
    expect(again).toEqual({
      logs: { inserted: 0, alreadyPresent: 50 },
      anomalies: { inserted: 0, alreadyPresent: 5 },
      lateAnomalies: { inserted: 0, raised: 0, alreadyPresent: 0 },
      deadLetters: { inserted: 0, alreadyPresent: 1 },
      offsetReused: { inserted: 0, alreadyPresent: 0 },
    });
    expect(await snapshot()).toEqual(before);
  });

  it('stores only the new records of a batch that overlaps an earlier one', async () => {
    // Prepare: records 0..29 stored, then a redelivery spanning 20..39
    const first = Array.from({ length: 30 }, (_, i) => newLog(i));
    await storeDetectorBatch(db.pool, { logs: first, anomalies: [anomalyFor(first[20]!)], deadLetters: [] });
    const second = Array.from({ length: 20 }, (_, i) => newLog(20 + i));

    // Act: the second delivery scores differently (a new model), which must not duplicate anomaly 20
    const result = await storeDetectorBatch(db.pool, {
      logs: second,
      anomalies: [anomalyFor(second[0]!, { score: 0.99, modelVersion: 'model-v2' }), anomalyFor(second[10]!)],
      deadLetters: [],
    });

    // Assess
    expect(result.logs).toEqual({ inserted: 10, alreadyPresent: 10 });
    expect(result.anomalies).toEqual({ inserted: 1, alreadyPresent: 1 });
    expect(await tableCounts()).toEqual({ logs: 40, anomalies: 2, deadLetters: 0 });
    const kept = await db.pool.query(
      `SELECT l.kafka_offset, a.model_version FROM anomalies a JOIN logs l ON l.id = a.log_pk ORDER BY l.kafka_offset`,
    );
    expect(kept.rows).toEqual([{ kafka_offset: '20', model_version: 'model-v1' }, { kafka_offset: '30', model_version: 'model-v1' }]);
  });

  it('keeps one row when a batch holds the same record twice', async () => {
    // Prepare
    const log = newLog(5);

    // Act
    const result = await storeDetectorBatch(db.pool, { logs: [log, log], anomalies: [anomalyFor(log), anomalyFor(log)], deadLetters: [] });

    // Assess
    expect(result.logs).toEqual({ inserted: 1, alreadyPresent: 1 });
    expect(result.anomalies).toEqual({ inserted: 1, alreadyPresent: 1 });
    expect(await tableCounts()).toEqual({ logs: 1, anomalies: 1, deadLetters: 0 });
  });

  it('stores a 10,000-record batch in one call, and a redelivery of it adds nothing', async () => {
    // Prepare
    const logs: NewLog[] = Array.from({ length: 10_000 }, (_, i) => newLog(i, { partition: i % 8 }));
    const anomalies = logs.filter((l) => l.offset % 50 === 0).map((l) => anomalyFor(l));
    const deadLetters = Array.from({ length: 100 }, (_, i) => deadLetter(20_000 + i));

    // Act
    const first = await storeDetectorBatch(db.pool, { logs, anomalies, deadLetters });
    const second = await storeDetectorBatch(db.pool, { logs, anomalies, deadLetters });

    // Assess
    expect(first.logs.inserted).toBe(10_000);
    expect(first.anomalies.inserted).toBe(200);
    expect(first.deadLetters.inserted).toBe(100);
    expect(second.logs).toEqual({ inserted: 0, alreadyPresent: 10_000 });
    expect(await tableCounts()).toEqual({ logs: 10_000, anomalies: 200, deadLetters: 100 });
  });

  it('stores concurrent overlapping batches exactly once', async () => {
    // Prepare: two detector invocations receive overlapping, differently ordered record sets
    const a = Array.from({ length: 400 }, (_, i) => newLog(i));
    const b = Array.from({ length: 400 }, (_, i) => newLog(600 - i));

    // Act
    const results = await Promise.all([
      storeDetectorBatch(db.pool, { logs: a, anomalies: [], deadLetters: [] }),
      storeDetectorBatch(db.pool, { logs: b, anomalies: [], deadLetters: [] }),
    ]);

    // Assess
    expect(results[0]!.logs.inserted + results[1]!.logs.inserted).toBe(601);
    expect((await tableCounts()).logs).toBe(601);
  });

  it('skips stored records whatever the gaps between offsets, storing the rest once', async () => {
    // Prepare: one partition, offsets far apart (several runs), two of them stored earlier
    const offsets = [0, 1, 2, 64, 500, 501, 100_000, 2 ** 40];
    const logs = offsets.map((offset, i) => newLog(offset, { partition: 1, ts: new Date(BASE_PRODUCED + i).toISOString(), producedAt: null }));
    await storeDetectorBatch(db.pool, { logs: [logs[1]!, logs[4]!, logs[7]!], anomalies: [], deadLetters: [] });

    // Act
    const result = await storeDetectorBatch(db.pool, { logs: [...logs].reverse(), anomalies: [anomalyFor(logs[6]!)], deadLetters: [] });

    // Assess
    expect(result.logs).toEqual({ inserted: 5, alreadyPresent: 3 });
    expect(result.anomalies).toEqual({ inserted: 1, alreadyPresent: 0 });
    const stored = await db.pool.query('SELECT kafka_offset FROM logs ORDER BY kafka_offset');
    expect(stored.rows.map((row) => Number(row.kafka_offset))).toEqual(offsets);
  });

  it('retries when another transaction stores the same record between its read and its insert', async () => {
    // Prepare: another writer has inserted offset 7 and not yet committed
    const other = await db.pool.connect();
    try {
      await other.query('BEGIN');
      const batch = [newLog(6, { partition: 0 }), newLog(7, { partition: 0 }), newLog(8, { partition: 0 })];
      await other.query(
        `INSERT INTO logs (log_id, ts, service, level, message, topic, partition, kafka_offset) VALUES ('log-7', now(), 'auth', 'INFO', 'first delivery', 'logs', 0, 7)`,
      );

      // Act: the batch's insert waits on offset 7, then the other writer commits
      let scorings = 0;
      const storing = storeDetectorBatch(db.pool, {
        logs: batch,
        anomalies: async () => {
          scorings += 1;
          return [anomalyFor(batch[1]!)];
        },
        deadLetters: [],
      });
      await waitForLockWaiter();
      await other.query('COMMIT');
      const result = await storing;

      // Assess
      expect(result.logs).toEqual({ inserted: 2, alreadyPresent: 1 });
      expect(result.anomalies).toEqual({ inserted: 1, alreadyPresent: 0 });
      expect(scorings).toBe(1);
      expect(await tableCounts()).toEqual({ logs: 3, anomalies: 1, deadLetters: 0 });
    } finally {
      other.release();
    }
  });

  it('computes the anomalies while the logs insert is in progress, and stores them in the same transaction', async () => {
    // Prepare: another transaction holds a lock that makes INSERT INTO logs wait (reads still pass)
    const other = await db.pool.connect();
    try {
      await other.query('BEGIN');
      await other.query('LOCK TABLE logs IN SHARE MODE');
      const logs = [newLog(1), newLog(2), newLog(3)];
      let calls = 0;
      let insertWasWaiting = false;

      // Act
      const result = await storeDetectorBatch(db.pool, {
        logs,
        anomalies: async () => {
          calls += 1;
          // The INSERT is sent before this runs; the server may take a moment to report it waiting (a loaded machine).
          for (let polls = 0; polls < 200 && !insertWasWaiting; polls++) {
            const waiting = await db.pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO logs%'`);
            insertWasWaiting = waiting.rows[0].n === 1;
            if (!insertWasWaiting) await new Promise((resolve) => setTimeout(resolve, 10));
          }
          await other.query('COMMIT');
          return [anomalyFor(logs[1]!)];
        },
        deadLetters: [deadLetter(50)],
      });

      // Assess
      expect(calls).toBe(1);
      expect(insertWasWaiting).toBe(true);
      expect(result).toEqual({ logs: { inserted: 3, alreadyPresent: 0 }, anomalies: { inserted: 1, alreadyPresent: 0 }, deadLetters: { inserted: 1, alreadyPresent: 0 }, lateAnomalies: { inserted: 0, raised: 0, alreadyPresent: 0 }, offsetReused: { inserted: 0, alreadyPresent: 0 } });
      expect(await tableCounts()).toEqual({ logs: 3, anomalies: 1, deadLetters: 1 });
    } finally {
      await other.query('ROLLBACK').catch(() => undefined);
      other.release();
    }
  });

  it('rethrows what the anomalies function throws, unchanged, and stores nothing', async () => {
    // Prepare
    const failure = new Error('model store unreachable');

    // Act
    const outcome = storeDetectorBatch(db.pool, {
      logs: [newLog(1), newLog(2)],
      anomalies: async () => {
        throw failure;
      },
      deadLetters: [deadLetter(60)],
    });

    // Assess
    await expect(outcome).rejects.toBe(failure);
    expect(await tableCounts()).toEqual({ logs: 0, anomalies: 0, deadLetters: 0 });
  });

  it('refuses computed anomalies that name no log of the batch, storing nothing', async () => {
    // Act
    const outcome = storeDetectorBatch(db.pool, { logs: [newLog(1)], anomalies: async () => [anomalyFor(newLog(99))], deadLetters: [] });

    // Assess
    await expect(outcome).rejects.toThrow(ValidationError);
    await expect(outcome).rejects.toThrow(/an anomaly names no log of this batch: topic "logs" partition 0 offset 99/);
    expect(await tableCounts()).toEqual({ logs: 0, anomalies: 0, deadLetters: 0 });
  });

  it('stores late anomalies on logs of earlier batches: a higher score replaces a lower one, never the reverse, a missing log gets none', async () => {
    // Prepare: an earlier batch stored three logs, one of them flagged (score 0.71)
    const earlier = [newLog(1, { experimentId: 'exp-late' }), newLog(2), newLog(3)];
    await storeDetectorBatch(db.pool, { logs: earlier, anomalies: [anomalyFor(earlier[0]!)], deadLetters: [] });
    const late = (offset: number, score: number) => ({ ...anomalyFor(newLog(offset), { score, modelVersion: `late-${score}` }), experimentId: null });

    // Act: a later batch revises log 1 upwards, log 2 into an anomaly, names a log never stored; then a lower verdict on log 1
    const raised = await storeDetectorBatch(db.pool, { logs: [newLog(4)], anomalies: async () => ({ anomalies: [], late: [late(1, 0.9), late(2, 0.8), late(77, 0.99)], streams: [] }), deadLetters: [] });
    const lower = await storeDetectorBatch(db.pool, { logs: [newLog(5)], anomalies: async () => ({ anomalies: [], late: [late(1, 0.75)], streams: [] }), deadLetters: [] });

    // Assess
    expect(raised.lateAnomalies).toEqual({ inserted: 1, raised: 1, alreadyPresent: 1 });
    expect(lower.lateAnomalies).toEqual({ inserted: 0, raised: 0, alreadyPresent: 1 });
    const rows = await db.pool.query(`SELECT l.kafka_offset::int AS "offset", a.score, a.model_version AS version, a.experiment_id AS experiment FROM anomalies a JOIN logs l ON l.id = a.log_pk ORDER BY l.kafka_offset`);
    expect(rows.rows).toEqual([
      { offset: 1, score: 0.9, version: 'late-0.9', experiment: 'exp-late' },
      { offset: 2, score: 0.8, version: 'late-0.8', experiment: earlier[1]!.experimentId ?? null },
    ]);
  });

  it('refuses a malformed late anomaly, storing nothing', async () => {
    // Act
    const outcome = storeDetectorBatch(db.pool, { logs: [newLog(1)], anomalies: async () => ({ anomalies: [], late: [{ ...anomalyFor(newLog(2)), score: Number.NaN }], streams: [] }), deadLetters: [] });

    // Assess
    await expect(outcome).rejects.toThrow(ValidationError);
    await expect(outcome).rejects.toThrow(/late\[0\]\.score/);
    expect(await tableCounts()).toEqual({ logs: 0, anomalies: 0, deadLetters: 0 });
  });

  it('returns zero counts for an empty batch', async () => {
    // Act
    const result = await storeDetectorBatch(db.pool, { logs: [], anomalies: [], deadLetters: [] });

    // Assess
    expect(result).toEqual({ logs: { inserted: 0, alreadyPresent: 0 }, anomalies: { inserted: 0, alreadyPresent: 0 }, deadLetters: { inserted: 0, alreadyPresent: 0 }, lateAnomalies: { inserted: 0, raised: 0, alreadyPresent: 0 }, offsetReused: { inserted: 0, alreadyPresent: 0 } });
  });

  it('refuses the whole batch, storing nothing, when a row is invalid', async () => {
    // Prepare
    const good = newLog(1);
    const cases: Array<[unknown, RegExp]> = [
      [{ logs: [good, newLog(2, { offset: -1 })], anomalies: [], deadLetters: [] }, /logs\[1\]\.offset must be an integer/],
      [{ logs: [good, newLog(2, { partition: 1.5 })], anomalies: [], deadLetters: [] }, /logs\[1\]\.partition must be an integer/],
      [{ logs: [newLog(2, { ts: 'yesterday' })], anomalies: [], deadLetters: [] }, /logs\[0\]\.ts is not a valid timestamp/],
      [{ logs: [newLog(2, { ts: '+020000-01-01T00:00:00Z' })], anomalies: [], deadLetters: [] }, /logs\[0\]\.ts is not a valid timestamp/],
      [{ logs: [newLog(2, { service: '' })], anomalies: [], deadLetters: [] }, /logs\[0\]\.service must not be empty/],
      [{ logs: [newLog(2, { message: 42 as unknown as string })], anomalies: [], deadLetters: [] }, /logs\[0\]\.message must be a string \(got number\)/],
      [{ logs: [good], anomalies: [anomalyFor(good, { score: Number.NaN })], deadLetters: [] }, /anomalies\[0\]\.score must be a finite number/],
      [{ logs: [good], anomalies: [anomalyFor(newLog(99))], deadLetters: [] }, /an anomaly names no log of this batch: topic "logs" partition 0 offset 99/],
      [{ logs: [good], anomalies: [anomalyFor(good, { features: { big: 1n } as never })], deadLetters: [] }, /anomalies\[0\]\.features is not representable as JSON/],
      [{ logs: [good], anomalies: [], deadLetters: [deadLetter(3, { rawValue: 'text' as never })] }, /deadLetters\[0\]\.rawValue must be a Uint8Array/],
      [{ logs: 'nope', anomalies: [], deadLetters: [] }, /batch\.logs must be an array \(got string\)/],
    ];

    for (const [batch, message] of cases) {
      // Act
      const outcome = storeDetectorBatch(db.pool, batch as never);

      // Assess
      await expect(outcome).rejects.toThrow(ValidationError);
      await expect(outcome).rejects.toThrow(message);
    }
    expect(await tableCounts()).toEqual({ logs: 0, anomalies: 0, deadLetters: 0 });
  });

  it('works on a client the caller checked out', async () => {
    // Prepare
    const client = await db.pool.connect();

    try {
      // Act
      const result = await storeDetectorBatch(client, { logs: [newLog(1)], anomalies: [], deadLetters: [] });

      // Assess
      expect(result.logs.inserted).toBe(1);
      const txStatus = await client.query('SELECT count(*)::int AS n FROM logs');
      expect(txStatus.rows[0].n).toBe(1);
    } finally {
      client.release();
    }
  });

  it('stores rows the detector already checked (LogRow) exactly like the plain logs they came from', async () => {
    // Prepare: the same records once as plain NewLogs, once checked first (as map-record does)
    const plain = Array.from({ length: 30 }, (_, i) => newLog(i, { message: `NUL\u0000 and "quotes" ${i}`, producedAt: new Date(BASE_PRODUCED + i) }));
    const checked = plain.map((log) => toLogRow(log, 'log record'));
    await storeDetectorBatch(db.pool, { logs: plain, anomalies: [anomalyFor(plain[3]!)], deadLetters: [] });
    const fromPlain = await db.pool.query('SELECT log_id, ts, message, produced_at, topic, partition, kafka_offset FROM logs ORDER BY id');
    await db.pool.query('TRUNCATE logs, anomalies RESTART IDENTITY CASCADE');

    // Act
    const result = await storeDetectorBatch(db.pool, { logs: checked, anomalies: [anomalyFor(checked[3]!)], deadLetters: [] });

    // Assess
    expect(checked.every((row) => row instanceof LogRow && toLogRow(row, 'again') === row)).toBe(true);
    expect(result.logs).toEqual({ inserted: 30, alreadyPresent: 0 });
    expect(result.anomalies).toEqual({ inserted: 1, alreadyPresent: 0 });
    const fromChecked = await db.pool.query('SELECT log_id, ts, message, produced_at, topic, partition, kafka_offset FROM logs ORDER BY id');
    expect(fromChecked.rows).toEqual(fromPlain.rows);
    expect(fromChecked.rows[0].message).toBe('NUL\ufffd and "quotes" 0');
  });

  it('refuses to build a LogRow from an invalid log, naming the field', () => {
    // Act + Assess
    expect(() => new LogRow(newLog(1, { ts: '2024-13-01T00:00:00.000Z' }), 'log record')).toThrow(/log record\.ts is not a valid timestamp/);
    expect(() => new LogRow(newLog(1, { producedAt: 'soon' }), 'log record')).toThrow(/log record\.producedAt is not a valid timestamp/);
    expect(() => new LogRow(null as never, 'log record')).toThrow(/log record\.topic must be a string \(got undefined\)/);
    expect(() => new LogRow(newLog(1, { partition: 2 ** 31 }), 'log record')).toThrow(ValidationError);
  });
});
