/**
 * Migration 011 on a database that already holds logs, anomalies and dead letters (migrated up to
 * 010 and written by the pre-011 pipeline): it backfills the rollups to equal counts of those rows.
 */
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMigrations } from '../../../infra/db/migrator.js';
import { DEFAULT_MIGRATIONS_DIR } from '../../../infra/db/migration-files.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';
import { rollupsOfRawRows, storedRollups } from '../../functions/shared/db/rollup-fixtures.js';

let db: TestDatabase;
let before011: string;

beforeAll(async () => {
  db = await createTestDatabase({ migrate: false });
  before011 = await mkdtemp(join(tmpdir(), 'migrations-010-'));
  for (const name of await readdir(DEFAULT_MIGRATIONS_DIR)) {
    if (name < '011') await cp(join(DEFAULT_MIGRATIONS_DIR, name), join(before011, name));
  }
});
afterAll(async () => {
  await db?.drop();
  if (before011) await rm(before011, { recursive: true, force: true });
});

describe('migration 011 (rollups)', () => {
  it('backfills log and dead-letter rollups from the rows an existing database holds', async () => {
    // Prepare: a database at 010 with rows over three minutes, two partitions, anomalies on some logs
    await runMigrations(db.pool, { dir: before011 });
    await db.pool.query(
      `INSERT INTO logs (log_id, ts, service, level, message, topic, partition, kafka_offset, stored_at)
       SELECT 'log-' || n, now(), CASE WHEN n % 2 = 0 THEN 'auth' ELSE 'payments' END, CASE WHEN n % 5 = 0 THEN 'ERROR' ELSE 'INFO' END,
              'm', 'logs', n % 2, n, timestamptz '2024-05-01T12:00:00Z' + make_interval(secs => n * 3)
       FROM generate_series(0, 59) AS n`,
    );
    await db.pool.query(
      `INSERT INTO anomalies (log_pk, score, threshold, model_version, features, contributions, detected_at)
       SELECT id, 0.9, 0.6, 'v1', '{}', '[]', timestamptz '2024-06-01T00:00:00Z' FROM logs WHERE kafka_offset % 7 = 0`,
    );
    await db.pool.query(
      `INSERT INTO dead_letters (topic, partition, kafka_offset, reason, component, received_at)
       VALUES ('logs', 0, 900, 'bad', 'detector', '2024-05-01T12:00:10Z'), ('logs', 0, 901, 'bad', 'detector', '2024-05-01T12:00:50Z'),
              ('metrics', 1, 5, 'bad', 'metrics-aggregator', '2024-05-01T12:02:00Z')`,
    );

    // Act
    const report = await runMigrations(db.pool);

    // Assess
    expect(report.applied).toContain('011_rollups.sql');
    const rollups = await storedRollups(db.pool);
    expect(rollups).toEqual(await rollupsOfRawRows(db.pool));
    expect(rollups.logs.reduce((sum, row) => sum + row.logs, 0)).toBe(60);
    expect(rollups.logs.reduce((sum, row) => sum + row.anomalies, 0)).toBe(9);
    expect(new Set(rollups.logs.map((row) => row.minute.toISOString()))).toEqual(new Set(['2024-05-01T12:00:00.000Z', '2024-05-01T12:01:00.000Z', '2024-05-01T12:02:00.000Z']));
    expect(rollups.deadLetters).toEqual([
      { minute: new Date('2024-05-01T12:00:00Z'), topic: 'logs', partition: 0, component: 'detector', dead_letters: 2 },
      { minute: new Date('2024-05-01T12:02:00Z'), topic: 'metrics', partition: 1, component: 'metrics-aggregator', dead_letters: 1 },
    ]);
  });
});
