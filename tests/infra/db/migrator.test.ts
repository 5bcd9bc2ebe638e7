import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { runMigrations } from '../../../infra/db/migrator.js';
import { DEFAULT_MIGRATIONS_DIR, loadMigrations } from '../../../infra/db/migration-files.js';
import { MigrationError } from '../../../infra/db/migration-error.js';
import { createPool } from '../../../functions/shared/db/pool.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';

const EXPECTED_TABLES = ['anomalies', 'consumer_lag', 'dead_letter_rollups', 'dead_letters', 'detector_streams', 'experiments', 'log_rollups', 'logs', 'models', 'performance_metrics', 'schema_migrations'];

const dirs: string[] = [];
const databases: TestDatabase[] = [];

async function emptyDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase({ migrate: false });
  databases.push(db);
  return db;
}

async function migrationsCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'migrations-'));
  dirs.push(dir);
  await cp(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

async function tableNames(pool: pg.Pool): Promise<string[]> {
  const result = await pool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
  );
  return result.rows.map((row) => row.table_name);
}

afterAll(async () => {
  await Promise.all(databases.map((db) => db.drop()));
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('runMigrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await emptyDatabase();
  });

  it('applies every migration to an empty database, in order, with the dashboard indexes', async () => {
    // Prepare
    const files = await loadMigrations();

    // Act
    const report = await runMigrations(db.pool);

    // Assess
    expect(report.applied).toEqual(files.map((file) => file.fileName));
    expect(report.alreadyApplied).toEqual([]);
    expect(await tableNames(db.pool)).toEqual(EXPECTED_TABLES);
    const recorded = await db.pool.query('SELECT version, name, checksum FROM schema_migrations ORDER BY version');
    expect(recorded.rows).toEqual(files.map((file) => ({ version: file.version, name: file.fileName, checksum: file.checksum })));
    const indexes = await db.pool.query<{ indexdef: string }>(`SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'`);
    const definitions = indexes.rows.map((row) => row.indexdef.replace(/^.* USING (btree|brin) /, '$1 '));
    for (const wanted of ['btree (ts)', 'btree (experiment_id) WHERE (experiment_id IS NOT NULL)', 'brin (stored_at)', 'btree (detected_at)',
      'btree (experiment_id, metric_name, "timestamp")', 'btree (experiment_id, "timestamp")', 'btree (received_at)']) {
      expect(definitions).toContain(wanted);
    }
  });

  it('is a no-op when run again', async () => {
    // Prepare
    const before = await db.pool.query('SELECT version, applied_at FROM schema_migrations ORDER BY version');

    // Act
    const report = await runMigrations(db.pool);

    // Assess
    expect(report.applied).toEqual([]);
    expect(report.alreadyApplied).toHaveLength(before.rows.length);
    const after = await db.pool.query('SELECT version, applied_at FROM schema_migrations ORDER BY version');
    expect(after.rows).toEqual(before.rows);
  });
});

describe('runMigrations run concurrently', () => {
  it('applies each migration exactly once across four simultaneous runs', async () => {
    // Prepare
    const db = await emptyDatabase();
    const pools = Array.from({ length: 4 }, () => createPool({ connectionString: db.connectionString, max: 1 }));

    try {
      // Act
      const reports = await Promise.all(pools.map((pool) => runMigrations(pool)));

      // Assess
      const files = await loadMigrations();
      const appliedEverywhere = reports.flatMap((report) => report.applied).sort();
      expect(appliedEverywhere).toEqual(files.map((file) => file.fileName).sort());
      const recorded = await db.pool.query('SELECT count(*)::int AS n FROM schema_migrations');
      expect(recorded.rows[0].n).toBe(files.length);
      expect(await tableNames(db.pool)).toEqual(EXPECTED_TABLES);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });
});

describe('runMigrations refuses a database that disagrees with the files', () => {
  it('refuses a changed applied migration and applies nothing', async () => {
    // Prepare
    const db = await emptyDatabase();
    const dir = await migrationsCopy();
    await runMigrations(db.pool, { dir });
    const first = join(dir, '001_experiments_and_metrics.sql');
    await writeFile(first, `${await readFile(first, 'utf8')}\nCREATE TABLE sneaky (id int);\n`);
    await writeFile(join(dir, '999_later.sql'), 'CREATE TABLE later (id int);');

    // Act
    const outcome = runMigrations(db.pool, { dir });

    // Assess
    await expect(outcome).rejects.toThrow(MigrationError);
    await expect(outcome).rejects.toThrow(/001_experiments_and_metrics\.sql" was changed after it was applied/);
    expect(await tableNames(db.pool)).not.toContain('later');
    expect(await tableNames(db.pool)).not.toContain('sneaky');
  });

  it('does not count a change of line endings as a change', async () => {
    // Prepare
    const db = await emptyDatabase();
    const dir = await migrationsCopy();
    await runMigrations(db.pool, { dir });
    const first = join(dir, '001_experiments_and_metrics.sql');
    await writeFile(first, (await readFile(first, 'utf8')).replace(/\n/g, '\r\n'));

    // Act
    const report = await runMigrations(db.pool, { dir });

    // Assess
    expect(report.applied).toEqual([]);
  });

  it('refuses when an applied migration file is missing or renamed', async () => {
    // Prepare
    const db = await emptyDatabase();
    const dir = await migrationsCopy();
    await runMigrations(db.pool, { dir });
    const renamed = join(dir, '002_logs_and_anomalies.sql');
    await writeFile(join(dir, '002_logs_renamed.sql'), await readFile(renamed, 'utf8'));
    await rm(renamed);

    // Act
    const renamedError = await runMigrations(db.pool, { dir }).catch((error: unknown) => error);
    await rm(join(dir, '002_logs_renamed.sql'));
    const missingError = await runMigrations(db.pool, { dir }).catch((error: unknown) => error);

    // Assess
    expect(renamedError).toBeInstanceOf(MigrationError);
    expect((renamedError as Error).message).toMatch(/applied as "002_logs_and_anomalies\.sql" but the file is now "002_logs_renamed\.sql"/);
    expect(missingError).toBeInstanceOf(MigrationError);
    expect((missingError as Error).message).toMatch(/"002_logs_and_anomalies\.sql" is applied in the database but its file is missing/);
  });

  it('refuses a new migration numbered before the last applied one', async () => {
    // Prepare
    const db = await emptyDatabase();
    const dir = await migrationsCopy();
    await runMigrations(db.pool, { dir });
    await writeFile(join(dir, '000_too_early.sql'), 'CREATE TABLE too_early (id int);');

    // Act
    const outcome = runMigrations(db.pool, { dir });

    // Assess
    await expect(outcome).rejects.toThrow(/"000_too_early\.sql" is new but sorts before the last applied migration/);
    expect(await tableNames(db.pool)).not.toContain('too_early');
  });
});

describe('a failing migration', () => {
  it('is rolled back whole and not recorded; earlier ones stay applied', async () => {
    // Prepare
    const db = await emptyDatabase();
    const dir = await mkdtemp(join(tmpdir(), 'migrations-'));
    dirs.push(dir);
    await writeFile(join(dir, '001_first.sql'), 'CREATE TABLE first_table (id int);');
    await writeFile(join(dir, '002_broken.sql'), 'CREATE TABLE half_done (id int);\nCREATE TABLE oops (id int,, x int);');

    // Act
    const outcome = runMigrations(db.pool, { dir });

    // Assess
    await expect(outcome).rejects.toThrow(/migration "002_broken\.sql" failed at line 2 and was rolled back: .*syntax error/);
    expect(await tableNames(db.pool)).toEqual(['first_table', 'schema_migrations']);
    const recorded = await db.pool.query('SELECT name FROM schema_migrations');
    expect(recorded.rows).toEqual([{ name: '001_first.sql' }]);
  });
});

describe('loadMigrations', () => {
  it.each([
    [{ '1_short.sql': 'SELECT 1;' }, /"1_short\.sql" is misnamed/],
    [{ '001_Upper.sql': 'SELECT 1;' }, /"001_Upper\.sql" is misnamed/],
    [{ '001_a.sql': 'SELECT 1;', '001_b.sql': 'SELECT 2;' }, /"001_a\.sql" and "001_b\.sql" have the same version 001/],
    [{ '001_empty.sql': '  \n ' }, /"001_empty\.sql" is empty/],
    [{ 'README.md': 'not a migration' }, /no migrations \(NNN_name\.sql\) in/],
  ])('refuses a malformed directory %#', async (files, message) => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'migrations-'));
    dirs.push(dir);
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);

    // Act
    const outcome = loadMigrations(dir);

    // Assess
    await expect(outcome).rejects.toThrow(MigrationError);
    await expect(outcome).rejects.toThrow(message);
  });

  it('refuses a directory that does not exist', async () => {
    // Act
    const outcome = loadMigrations(join(tmpdir(), 'no-such-migrations-dir-4711'));

    // Assess
    await expect(outcome).rejects.toThrow(/cannot read the migrations directory/);
  });
});
