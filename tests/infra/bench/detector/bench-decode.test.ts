import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

interface BenchRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `npm run bench:decode`'s entry point as node with tsx's loader (no tsx binary in between). */
function runBench(env: Record<string, string>): Promise<BenchRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'infra/bench/detector/bench-decode.ts'], { cwd: repoRoot, env: { ...process.env, ...env }, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

describe('bench:decode', () => {
  it('measures both decode paths on a small batch and prints one JSON line with their figures and ratios', async () => {
    // Act
    const run = await runBench({ BENCH_DECODE_RECORDS: '200', BENCH_DECODE_EVENTS: '1', BENCH_DECODE_WARMUP: '1', BENCH_DECODE_ROUNDS: '1' });

    // Assess
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout.trim()) as Record<string, unknown>;
    expect(result).toMatchObject({ bench: 'decode', recordsPerEvent: 200, events: 1, rounds: 1 });
    for (const path of ['old', 'new']) {
      expect(Object.keys(result[path] as object)).toEqual(['usPerRecord', 'parseKafkaEventUs', 'mapRecordUs', 'parseLogRecordUs']);
    }
    expect(result.ratio).toEqual(expect.any(Number));
  });

  it.each([
    ['BENCH_DECODE_RECORDS', 'many'],
    ['BENCH_DECODE_ROUNDS', '0'],
    ['BENCH_DECODE_EVENTS', '51'],
    ['BENCH_DECODE_WARMUP', '1.5'],
  ])('refuses %s=%s naming the variable and its range', async (name, value) => {
    // Act
    const run = await runBench({ [name]: value });

    // Assess
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(`${name} must be a whole number from 1 to`);
    expect(run.stdout).toBe('');
  });
});
