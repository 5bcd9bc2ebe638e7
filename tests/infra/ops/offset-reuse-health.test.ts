/**
 * `npm run health` shows how many records the detector dead-lettered as "offset reused" (a new
 * record Kafka placed at coordinates already holding another stored record), with what it means.
 */
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { insertDeadLetters, type NewDeadLetter } from '../../../functions/shared/db/index.js';
import { repoRoot } from '../../../infra/deploy/osls.js';
import { checkOffsetReuse } from '../../../infra/ops/offset-reuse-check.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});
beforeEach(async () => {
  await db.pool.query('TRUNCATE dead_letters RESTART IDENTITY');
});

function letter(partition: number, offset: number, reason: string, receivedAt = '2026-11-24T10:00:00.000Z'): NewDeadLetter {
  return { topic: 'logs', partition, offset, rawKey: null, rawValue: Buffer.from(`record ${offset}`), headers: [], reason, component: 'detector', receivedAt };
}

/** `npm run health -- ARGS` with only DATABASE_URL set for the database (no .env read). */
function health(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, DATABASE_URL: db.connectionString };
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'infra/ops/health.ts', '--no-env', ...args], { cwd: repoRoot, env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('health: records dead-lettered for reused Kafka offsets', () => {
  it('says ok when there are none, whatever other dead letters there are', async () => {
    // Prepare
    await insertDeadLetters(db.pool, [letter(0, 1, 'not JSON: Unexpected token')]);

    // Act
    const result = await checkOffsetReuse({ DATABASE_URL: db.connectionString });

    // Assess
    expect(result).toEqual({ check: 'offset-reuse', verdict: 'ok', detail: 'no record was dead-lettered for a reused Kafka offset' });
  });

  it('warns with the count, the partitions most hit, the newest arrival and what it means', async () => {
    // Prepare
    await insertDeadLetters(db.pool, [
      letter(0, 1, 'offset reused'),
      letter(0, 2, 'offset reused'),
      letter(0, 3, 'offset reused', '2026-11-25T08:30:00.000Z'),
      letter(2, 7, 'offset reused'),
      letter(1, 9, 'not JSON: Unexpected token'),
    ]);

    // Act
    const result = await checkOffsetReuse({ DATABASE_URL: db.connectionString });

    // Assess
    expect(result.verdict).toBe('warn');
    expect(result.detail).toMatch(/^4 records dead-lettered as "offset reused" \(logs-0: 3, logs-2: 1; newest 2026-11-25T08:30:00\.000Z\)\. /);
    expect(result.detail).toContain('topic deleted and recreated');
    expect(result.detail).toContain('kept whole in dead_letters');
  });

  it('prints the line in `npm run health` as a warning that does not fail the exit code', async () => {
    // Prepare
    await insertDeadLetters(db.pool, [letter(3, 11, 'offset reused')]);

    // Act
    const run = await health(['--only', 'offset-reuse']);

    // Assess
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^WARN offset-reuse +1 record dead-lettered as "offset reused" \(logs-3: 1; newest [^)]+\)\. Kafka handed out offsets/);
  });
});
