import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadMigrations } from '../../../infra/db/migration-files.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));

/** The environment without any database settings inherited from the machine. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key === 'DATABASE_URL' || key.startsWith('POSTGRES_')) delete env[key];
  return { ...env, ...extra };
}

function run(script: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, [script, ...args], { cwd: repoRoot, env: cleanEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase({ migrate: false });
});
afterAll(async () => {
  await db.drop();
});

describe('npm run db:migrate', () => {
  it('migrates the database named by POSTGRES_* and prints what it applied', async () => {
    // Prepare
    const env = {
      POSTGRES_HOST: db.server.host,
      POSTGRES_PORT: String(db.server.port),
      POSTGRES_DB: db.name,
      POSTGRES_USER: db.server.user,
      POSTGRES_PASSWORD: db.server.password,
    };

    // Act
    const result = await run('infra/db/migrate.ts', [], env);

    // Assess
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const files = await loadMigrations();
    expect(JSON.parse(result.stdout)).toEqual({ applied: files.map((file) => file.fileName), alreadyApplied: [] });
  });

  it('fails with a clear message and exit code 2 when the connection is not configured', async () => {
    // Act
    const result = await run('infra/db/migrate.ts', [], {});

    // Assess
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^db:migrate failed: database connection is not configured: set DATABASE_URL, or all of POSTGRES_HOST/);
  });
});

describe('npm run db:cleanup', () => {
  it('prints a JSON summary of the rows deleted', async () => {
    // Act
    const result = await run('infra/db/cleanup.ts', ['--logs-days', '7', '--experiments-days', '30'], { DATABASE_URL: db.connectionString });

    // Assess
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.deleted).toEqual({ logs: 0, anomalies: 0, deadLetters: 0, experiments: 0, performanceMetrics: 0, consumerLag: 0, detectorStreams: 0 });
    expect(Date.parse(summary.now) - Date.parse(summary.cutoffs.logs)).toBe(7 * 86_400_000);
  });

  it('refuses bad flags with usage and exit code 2, before connecting', async () => {
    // Act
    const result = await run('infra/db/cleanup.ts', ['--logs-days', 'seven'], { DATABASE_URL: 'postgres://u:p@127.0.0.1:1/none' });

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^db:cleanup failed: --logs-days must be a whole number of days between 1 and 36500 \(got "seven"\)/);
  });
});
