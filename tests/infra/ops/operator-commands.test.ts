import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServices, type LocalServices } from '../../../infra/local-services/index.js';
import { tailFile } from '../../../infra/ops/logs.js';
import { freePort } from '../../helpers/free-port.js';
import { operator } from '../../helpers/operator-process.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';

/** The operator commands against the embedded stack `npm start` runs (infra/local-services), in a directory of the test's own. */
describe('operator commands on the embedded stack', () => {
  let root: string;
  let services: LocalServices;
  let envFile: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'ops-'));
    await chmod(root, 0o755); // as root, PostgreSQL runs as the postgres user, who must enter it
    envFile = join(root, '.env');
    services = await startLocalServices({ kafkaPort: 0, controlPlanePort: 0, postgresPort: 0, s3Port: 0, dataDir: join(root, '.data'), envFile, logLevel: 'silent' });
  }, 120_000);

  afterAll(async () => {
    await services?.stop();
    await rm(root, { recursive: true, force: true });
  });

  const query = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> => {
    const client = new pg.Client({ connectionString: services.postgres.url });
    await client.connect();
    try {
      return (await client.query<T>(sql, params)).rows;
    } finally {
      await client.end();
    }
  };

  it('health: reports Kafka, PostgreSQL, S3 and the functions healthy, serverless-offline not running', async () => {
    // Prepare: the .env npm start wrote is the only source of settings.

    // Act
    const run = await operator('health', ['--env-path', envFile, '--offline-url', `http://127.0.0.1:${await freePort()}`]);

    // Assess
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines.find((line) => line.includes('kafka'))).toMatch(/^ok +kafka +127\.0\.0\.1:\d+: 1 broker, topics logs \(\d+ partitions?\), metrics \(\d+ partitions?\)$/);
    expect(lines.find((line) => line.includes('postgres'))).toMatch(/^ok +postgres .* \(PostgreSQL 15\.\d+\): \d+ migrations applied, none pending$/);
    expect(lines.find((line) => line.includes('offset-reuse'))).toBe('ok   offset-reuse       no record was dead-lettered for a reused Kafka offset');
    expect(lines.find((line) => line.includes(' s3 '))).toContain('buckets log-anomaly-models, log-anomaly-dashboard exist');
    expect(lines.find((line) => line.includes('functions'))).toMatch(/^ok +functions +.*producer.*detector.*bundle and load under plain Node/);
    expect(lines.find((line) => line.includes('serverless-offline'))).toMatch(/^skip/);
  }, 180_000);

  it('health: says what is wrong and exits 1 — a missing topic, a missing bucket, migrations not applied', async () => {
    // Prepare: the environment wins over .env.
    const unmigrated = await createTestDatabase({ migrate: false });

    try {
      // Act
      const run = await operator('health', ['--env-path', envFile, '--only', 'kafka,postgres,s3', '--json'], {
        KAFKA_TOPIC: 'no-such-topic',
        MODEL_BUCKET: 'no-such-bucket',
        DATABASE_URL: unmigrated.connectionString,
      });

      // Assess
      expect(run.code).toBe(1);
      const report = JSON.parse(run.stdout) as { healthy: boolean; checks: Array<{ check: string; verdict: string; detail: string }> };
      expect(report.healthy).toBe(false);
      const detail = Object.fromEntries(report.checks.map((check) => [check.check, `${check.verdict}: ${check.detail}`]));
      expect(detail.kafka).toMatch(/^fail: .*topic no-such-topic missing/);
      expect(detail.s3).toMatch(/^fail: .*bucket no-such-bucket does not exist/);
      expect(detail.postgres).toMatch(/^fail: .*no migrations applied; run `npm run db:migrate`/);
      expect(run.stdout).not.toContain(unmigrated.server.password);
    } finally {
      await unmigrated.drop();
    }
  }, 60_000);

  it('db:backup then db:restore brings the database back to the backup, and shows no password', async () => {
    // Prepare
    await query(`INSERT INTO experiments (id, name, producers, consumers, partitions) VALUES ('exp-backup', 'before <script>', 1, 1, 3)`);
    const out = join(root, 'backups', 'before.sql');

    // Act
    const backup = await operator('db-backup', ['--env-path', envFile, '--out', out]);
    await query(`DELETE FROM experiments WHERE id = 'exp-backup'`);
    await query(`INSERT INTO experiments (id, name, producers, consumers, partitions) VALUES ('exp-after', 'after', 2, 2, 3)`);
    const restore = await operator('db-restore', [out, '--yes', '--env-path', envFile]);

    // Assess
    expect(backup.code, backup.stderr).toBe(0);
    expect(JSON.parse(backup.stdout)).toMatchObject({ file: out, database: expect.stringMatching(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/log_anomaly$/) });
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    expect(await readFile(out, 'utf8')).toMatch(/^--\n-- PostgreSQL database dump\n/);
    expect(restore.code, restore.stderr).toBe(0);
    expect(JSON.parse(restore.stdout).migrationsRecorded).toBeGreaterThanOrEqual(3);
    expect(await query<{ id: string; name: string }>('SELECT id, name FROM experiments ORDER BY id')).toEqual([{ id: 'exp-backup', name: 'before <script>' }]);
    expect(backup.stdout + backup.stderr + restore.stdout + restore.stderr).not.toContain(':postgres@');
  }, 60_000);

  it('db:backup never overwrites a file; db:restore refuses without --yes, a file that is not a dump, an empty one', async () => {
    // Prepare
    const existing = join(root, 'existing.sql');
    const notADump = join(root, 'not-a-dump.sql');
    const empty = join(root, 'empty.sql');
    await writeFile(existing, 'keep me');
    await writeFile(notADump, 'DROP TABLE experiments; -- hostile\n');
    await writeFile(empty, '');

    // Act
    const overwrite = await operator('db-backup', ['--env-path', envFile, '--out', existing]);
    const unconfirmed = await operator('db-restore', [join(root, 'backups', 'before.sql'), '--env-path', envFile]);
    const hostile = await operator('db-restore', [notADump, '--yes', '--env-path', envFile]);
    const blank = await operator('db-restore', [empty, '--yes', '--env-path', envFile]);
    const missing = await operator('db-restore', [join(root, 'nope.sql'), '--yes', '--env-path', envFile]);

    // Assess
    expect([overwrite.code, unconfirmed.code, hostile.code, blank.code, missing.code]).toEqual([2, 2, 1, 1, 2]);
    expect(await readFile(existing, 'utf8')).toBe('keep me');
    expect(unconfirmed.stderr).toMatch(/replaces the tables of postgres:\/\/postgres@127\.0\.0\.1:\d+\/log_anomaly .*--yes/);
    expect(hostile.stderr).toContain('is not a plain-format pg_dump file');
    expect(blank.stderr).toContain('is empty');
    expect(await query('SELECT 1 FROM experiments')).toHaveLength(1); // nothing was dropped
  }, 60_000);

  it('reset: refuses while PostgreSQL runs on the data, lists without --yes, deletes with it and keeps backups', async () => {
    // Prepare
    await mkdir(join(root, '.data', 'backups'), { recursive: true });
    await writeFile(join(root, '.data', 'backups', 'keep.sql'), '--\n-- PostgreSQL database dump\n');
    await mkdir(join(root, '.build', 'detector'), { recursive: true });

    // Act
    const whileRunning = await operator('reset', ['--root', root, '--yes']);
    await services.stop();
    const dryRun = await operator('reset', ['--root', root]);
    const reset = await operator('reset', ['--root', root, '--yes']);

    // Assess
    expect(whileRunning.code).toBe(1);
    expect(whileRunning.stderr).toMatch(/PostgreSQL \(pid \d+\) still runs on .*stop `npm start`/);
    expect(dryRun.code).toBe(2);
    expect(dryRun.stderr).toContain(join(root, '.data', 'postgres'));
    expect(dryRun.stderr).toContain(join(root, '.env'));
    expect(dryRun.stderr).not.toContain(join(root, '.data', 'backups'));
    expect(reset.code, reset.stderr).toBe(0);
    const exists = (path: string) => stat(path).then(() => true, () => false);
    expect(await Promise.all([join(root, '.data', 'postgres'), join(root, '.data', 'kafka'), join(root, '.build'), envFile].map(exists))).toEqual([false, false, false, false]);
    expect(await exists(join(root, '.data', 'backups', 'keep.sql'))).toBe(true);
  }, 60_000);
});

describe('logs', () => {
  it('prints the last lines of a component log, also when the file ends without a newline', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'logs-'));
    const file = join(dir, 'mapping.log');
    await writeFile(file, 'one\ntwo\nthree\nfour');

    try {
      // Act
      const tail = await tailFile(file, 2);

      // Assess
      expect(tail.text).toBe('three\nfour\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a hostile component name and an unknown stack with exit 2', async () => {
    // Prepare, Act
    const [hostile, stack] = await Promise.all([operator('logs', ['../../etc/passwd']), operator('logs', ['kafka', '--stack', 'mars'])]);

    // Assess
    expect([hostile.code, stack.code]).toEqual([2, 2]);
    expect(hostile.stderr).toContain('must be lower-case letters, digits and "-"');
    expect(stack.stderr).toContain('--stack must be one of embedded, compose, localstack, aws');
  });
});
