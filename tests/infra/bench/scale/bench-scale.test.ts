/**
 * `npm run bench:scale` at a tiny size, on real PostgreSQL: the run against a test database (its
 * window counts checked against raw rows at each checkpoint, its rollups against raw rows per key
 * after the cleanup), and the CLI as a child process (its JSON lines, its own server removed, exit
 * code 2 for bad flags). No timed assertions.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScaleBench, type CheckpointResult, type ScaleSummary } from '../../../../infra/bench/scale/run-scale-bench.js';
import { formatTable } from '../../../../infra/bench/scale/scale-report.js';
import { createTestDatabase, type TestDatabase } from '../../../helpers/postgres.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/bench/scale/bench-scale.ts', ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Raw rows stored in the window a snapshot read: stored_at from its first instant up to its now(). */
async function rawWindowCounts(db: pg.Pool, windowStart: string, generatedAt: string): Promise<{ logs: number; anomalies: number }> {
  const result = await db.query<{ logs: string; anomalies: string }>(
    `SELECT count(*) AS logs, count(a.id) AS anomalies
     FROM logs l LEFT JOIN anomalies a ON a.log_pk = l.id
     WHERE l.stored_at >= $1 AND l.stored_at <= $2`,
    [windowStart, generatedAt],
  );
  return { logs: Number(result.rows[0]!.logs), anomalies: Number(result.rows[0]!.anomalies) };
}

describe('bench:scale run (20,000 rows, checkpoints 10,000 and 20,000)', () => {
  let db: TestDatabase;
  let checkpoints: CheckpointResult[];
  let summary: ScaleSummary;
  const windowCounts: Array<{ rows: number; reported: number[]; raw: number[]; reportedAnomalies: number[]; rawAnomalies: number[]; logsInTable: number }> = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ checkpoints, summary } = await runScaleBench(
      db.connectionString,
      { rows: 20_000, checkpoints: [10_000, 20_000], batchRows: 200, repeat: 2, cleanupRows: 2_000 },
      {
        afterCheckpoint: async (result, admin) => {
          const w60 = await rawWindowCounts(admin, result.snapshot60.windowStart, result.snapshot60.generatedAt);
          const w1440 = await rawWindowCounts(admin, result.snapshot1440.windowStart, result.snapshot1440.generatedAt);
          const table = await admin.query<{ n: string }>('SELECT count(*) AS n FROM logs WHERE stored_at <= $1', [result.snapshot1440.generatedAt]);
          windowCounts.push({
            rows: result.rows,
            reported: [result.snapshot60.rows, result.snapshot1440.rows],
            raw: [w60.logs, w1440.logs],
            reportedAnomalies: [result.snapshot60.anomalies, result.snapshot1440.anomalies],
            rawAnomalies: [w60.anomalies, w1440.anomalies],
            logsInTable: Number(table.rows[0]!.n),
          });
        },
      },
    ));
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('reports each checkpoint with fill, snapshot, status and batch figures, and the cleanup at the last', () => {
    // Assess
    expect(checkpoints.map((c) => c.rows)).toEqual([10_000, 20_000]);
    for (const c of checkpoints) {
      expect(c.fill).toEqual({ rows: 10_000, seconds: expect.any(Number), rowsPerSecond: expect.any(Number), rollupSeconds: expect.any(Number), settleSeconds: expect.any(Number) });
      for (const snapshot of [c.snapshot60, c.snapshot1440]) {
        expect(snapshot).toEqual({
          windowMinutes: expect.any(Number),
          ms: expect.any(Number),
          maxMs: expect.any(Number),
          rows: expect.any(Number),
          anomalies: expect.any(Number),
          rollupRows: expect.any(Number),
          windowStart: expect.any(String),
          generatedAt: expect.any(String),
        });
      }
      expect([c.snapshot60.windowMinutes, c.snapshot1440.windowMinutes]).toEqual([60, 1440]);
      expect(c.status).toEqual({ ms: expect.any(Number), maxMs: expect.any(Number), stored: expect.any(Number), anomalies: expect.any(Number), deadLetters: expect.any(Number) });
      expect(c.batch).toMatchObject({ rows: 200, ms: expect.any(Number), maxMs: expect.any(Number) });
      expect(c.databaseBytes).toBeGreaterThan(0);
    }
    expect(checkpoints[0]!.cleanup).toBeNull();
    expect(summary).toMatchObject({ summary: 'bench:scale', rows: 20_000, checkpoints: [10_000, 20_000], rollupsEqualRawCounts: true });
  });

  it('prints a table with a line per checkpoint and the cleanup with its rollup check', () => {
    // Act
    const table = formatTable(checkpoints, summary).split('\n');

    // Assess
    expect(table[0]).toMatch(/^rows +fill rows\/s +rollups s +snapshot ms, 60 min \(rows; rollup rows\) +snapshot ms, 1440 min/);
    expect(table[1]).toMatch(/^10,000 /);
    expect(table[2]).toMatch(/^20,000 .* \(20,600; [\d,]+\) /);
    expect(table.join('\n')).toContain('cleanup of one older day (db:cleanup --logs-days 1): 2,000 logs');
    expect(table.join('\n')).toContain('rollups after it: equal to count(*) (logs 21,200 / 21,200');
  });

  it('counts in each window exactly the rows stored in it, all of them in the 1440-minute window', () => {
    // Assess: the snapshot's figures (from the rollups) against raw rows of the same window.
    expect(windowCounts).toHaveLength(2);
    for (const w of windowCounts) {
      expect(w.reported).toEqual(w.raw);
      expect(w.reportedAnomalies).toEqual(w.rawAnomalies);
      expect(w.reported[1]).toBe(w.logsInTable);
      expect(w.reported[0]).toBeGreaterThan(0);
      expect(w.reported[0]).toBeLessThan(w.reported[1]!);
    }
    // The fill's rows, plus the batches measured before (3 of 200 rows per checkpoint).
    expect(windowCounts.map((w) => w.reported[1])).toEqual([10_000, 20_600]);
    expect(checkpoints.map((c) => c.status.stored)).toEqual([10_000, 20_600]);
  });

  it('deletes exactly the older day in its cleanup and leaves the rollups equal to the raw rows, key by key', async () => {
    // Prepare
    const cleanup = checkpoints[1]!.cleanup!;
    const perKey = await db.pool.query<{ n: string }>(
      `WITH raw AS (
         SELECT date_trunc('minute', l.stored_at) AS minute, l.topic, l.partition, l.service, l.level, count(*) AS logs, count(a.id) AS anomalies
         FROM logs l LEFT JOIN anomalies a ON a.log_pk = l.id GROUP BY 1, 2, 3, 4, 5),
       rolled AS (SELECT minute, topic, partition, service, level, logs, anomalies FROM log_rollups)
       SELECT (SELECT count(*) FROM ((SELECT * FROM raw EXCEPT SELECT * FROM rolled) UNION ALL (SELECT * FROM rolled EXCEPT SELECT * FROM raw)) d) AS n`,
    );
    const letters = await db.pool.query<{ n: string }>(
      `WITH raw AS (SELECT date_trunc('minute', received_at) AS minute, topic, partition, component, count(*) AS dead_letters FROM dead_letters GROUP BY 1, 2, 3, 4),
       rolled AS (SELECT minute, topic, partition, component, dead_letters FROM dead_letter_rollups)
       SELECT (SELECT count(*) FROM ((SELECT * FROM raw EXCEPT SELECT * FROM rolled) UNION ALL (SELECT * FROM rolled EXCEPT SELECT * FROM raw)) d) AS n`,
    );
    const remaining = await db.pool.query<{ logs: string; old: string; letters: string }>(
      `SELECT count(*) AS logs, count(*) FILTER (WHERE ts < $1) AS old, (SELECT count(*) FROM dead_letters) AS letters FROM logs`,
      [cleanup.cutoff],
    );

    // Assess
    expect(cleanup.olderDay.rows).toBe(2_000);
    expect(cleanup).toMatchObject({ logs: 2_000, deadLetters: 0 });
    expect(cleanup.anomalies).toBeGreaterThan(0);
    expect(cleanup.rollupCheck).toMatchObject({ equal: true, logs: { rollups: 21_200, raw: 21_200 } });
    expect(Number(perKey.rows[0]!.n)).toBe(0);
    expect(Number(letters.rows[0]!.n)).toBe(0);
    // 20,000 filled + 3 batches of 200 per checkpoint; none older than the cutoff.
    expect(remaining.rows[0]).toEqual({ logs: '21200', old: '0', letters: '1' });
  });
});

describe('bench:scale CLI', () => {
  it('runs end to end with --json: a JSON line per checkpoint and a summary, no table, its data directory removed', async () => {
    // Act
    const { code, stdout, stderr } = await runCli(['--rows', '20000', '--checkpoints', '10000,20000', '--batch-rows', '100', '--repeat', '1', '--json']);

    // Assess
    expect(code, stderr).toBe(0);
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    expect(lines.slice(0, 2).map((line) => line.rows)).toEqual([10_000, 20_000]);
    expect(Object.keys(lines[0]!)).toEqual(['checkpoint', 'rows', 'fill', 'snapshot60', 'snapshot1440', 'status', 'batch', 'databaseBytes', 'cleanup']);
    expect(lines[1]!.cleanup).toMatchObject({ logs: 2_000, rollupCheck: { equal: true } });
    expect(lines[2]).toMatchObject({ summary: 'bench:scale', rows: 20_000, checkpoints: [10_000, 20_000], rowsIn1440Window: [10_000, 20_200], rollupsEqualRawCounts: true });
    expect(stderr).not.toMatch(/snapshot ms, 60 min/);
    const dir = /data directory (\S+);/.exec(stderr)?.[1];
    expect(dir).toBeDefined();
    expect(existsSync(dir!)).toBe(false);
  });

  it('exits with code 2 and a clear message for bad flags, before starting anything', async () => {
    // Act
    const badRows = await runCli(['--rows', '50']);
    const unknown = await runCli(['--with-partitions']);

    // Assess
    expect(badRows.code).toBe(2);
    expect(badRows.stderr).toContain('bench:scale: --rows: "50" must be a whole number from 1000 to 200000000');
    expect(badRows.stderr).not.toContain('starting PostgreSQL');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown option "--with-partitions"');
    expect(unknown.stderr).toContain('Usage: npm run bench:scale');
    expect(badRows.stdout).toBe('');
  });
});
