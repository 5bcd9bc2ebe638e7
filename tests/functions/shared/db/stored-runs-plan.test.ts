/**
 * The detector's read of stored coordinates before each insert (log-rows.ts STORED_IN_RUNS) must
 * stay an index range scan however large `logs` grows: a plain join of the batch's offset runs was
 * planned as a whole-table scan once `logs` had statistics (bench:scale: 13 s per batch at 50 M rows).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORED_IN_RUNS } from '../../../../functions/shared/db/log-rows.js';
import { createTestDatabase, type TestDatabase } from '../../../helpers/postgres.js';

const PARTITIONS = 5;
const ROWS_PER_PARTITION = 40_000;

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  // Prepare (shared): 200,000 stored logs over five partitions, with statistics, as a running pipeline has
  await db.pool.query(
    `INSERT INTO logs (log_id, ts, service, level, message, topic, partition, kafka_offset)
     SELECT 'l-' || p || '-' || o, now(), 'svc-' || (o % 7), 'INFO', 'message ' || o, 'logs', p, o
     FROM generate_series(0, $1 - 1) AS p, generate_series(0, $2 - 1) AS o`,
    [PARTITIONS, ROWS_PER_PARTITION],
  );
  await db.pool.query('ANALYZE logs');
}, 120_000);
afterAll(async () => {
  await db.drop();
});

/** A batch's runs: `length` consecutive offsets from `first` in every partition. */
function runs(first: number, length: number): unknown[] {
  const partitions = Array.from({ length: PARTITIONS }, (_, p) => p);
  return [partitions.map(() => 'logs'), partitions, partitions.map(() => first), partitions.map(() => first + length - 1)];
}

describe('the read of stored coordinates before a batch insert', () => {
  it('is planned as index range scans of the unique coordinates, not a scan of logs', async () => {
    // Act: a batch of 2,000 records (400 offsets per partition) at the log's end, and a redelivered one
    const fresh = await db.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (COSTS OFF) ${STORED_IN_RUNS}`, runs(ROWS_PER_PARTITION, 400));
    const redelivered = await db.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (COSTS OFF) ${STORED_IN_RUNS}`, runs(10_000, 400));

    // Assess
    for (const result of [fresh, redelivered]) {
      const plan = result.rows.map((row) => row['QUERY PLAN']).join('\n');
      expect(plan).toMatch(/Index Scan using logs_kafka_record_unique on logs/);
      expect(plan).not.toMatch(/Seq Scan on logs/);
    }
  });

  it('finds every stored offset of a run and nothing outside it', async () => {
    // Act
    const found = await db.pool.query<{ partition: number; kafka_offset: string }>(STORED_IN_RUNS, runs(ROWS_PER_PARTITION - 3, 10));

    // Assess: the three stored offsets at the end of each partition, none past it
    expect(found.rows).toHaveLength(PARTITIONS * 3);
    expect(new Set(found.rows.map((row) => Number(row.kafka_offset)))).toEqual(new Set([ROWS_PER_PARTITION - 3, ROWS_PER_PARTITION - 2, ROWS_PER_PARTITION - 1]));
  });
});
