import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeDetectorBatch } from '../../../../functions/shared/db/index.js';
import { createTestDatabase, type TestDatabase } from '../../../helpers/postgres.js';
import { newLog } from './db-fixtures.js';
import { planWithoutSeqScans } from '../../../helpers/query-plan.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  // Prepare (shared): logs of two experiments and logs outside any experiment
  const logs = Array.from({ length: 3_000 }, (_, i) => newLog(i, { experimentId: i % 3 === 0 ? null : `exp-${i % 3}` }));
  await storeDetectorBatch(db.pool, { logs, anomalies: [], deadLetters: [] });
  await db.pool.query('ANALYZE logs');
});
afterAll(async () => {
  await db.drop();
});

/** The plan of `sql` with sequential scans priced out, so any index the query can use shows up. */
function planOf(sql: string, params: unknown[]): Promise<string> {
  return planWithoutSeqScans(db.pool, sql, params);
}

describe('indexes on logs after migrations 007 and 008', () => {
  it('leave the indexes each query needs, and none on service', async () => {
    // Act
    const indexes = await db.pool.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE tablename IN ('logs', 'anomalies') ORDER BY indexname`);

    // Assess
    expect(indexes.rows.map((row) => row.indexname)).toEqual([
      'anomalies_detected_at_idx', 'anomalies_log_unique', 'anomalies_pkey',
      'logs_experiment_idx', 'logs_kafka_record_unique', 'logs_pkey', 'logs_stored_at_brin', 'logs_ts_idx',
    ]);
  });

  it('serve the per-experiment queries from the partial experiment index', async () => {
    // Act: the shapes of experiment-queries.ts and countLogs
    const plans = [
      await planOf('SELECT count(*) FROM logs WHERE experiment_id = $1 AND produced_at IS NOT NULL', ['exp-1']),
      await planOf('SELECT count(*) FROM logs WHERE ($1::text IS NULL OR experiment_id = $1)', ['exp-2']),
    ];

    // Assess
    for (const plan of plans) expect(plan).toMatch(/logs_experiment_idx/);
  });

  it('serve training, retention and the dashboard window from the ts and stored_at indexes', async () => {
    // Act
    const training = await planOf('SELECT id FROM logs ORDER BY ts DESC, id DESC LIMIT $1', [100]);
    const retention = await planOf('SELECT id FROM logs WHERE ts < $1 ORDER BY ts LIMIT $2', [new Date('2024-05-01T12:10:00Z'), 50]);
    const dashboard = await planOf(`SELECT count(*) FROM logs WHERE stored_at >= now() - make_interval(mins => $1)`, [60]);

    // Assess
    expect(training).toMatch(/logs_ts_idx/);
    expect(retention).toMatch(/logs_ts_idx/);
    expect(dashboard).toMatch(/Bitmap Index Scan on logs_stored_at_brin/);
  });
});
