import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PYTHON = '/usr/bin/python3';
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'sklearn_score.py');

export interface SklearnResult {
  /** The JSON line sklearn_score.py printed (rowsPerSecond, medianSeconds, … or skipped). */
  readonly report: Record<string, unknown>;
  /** −score_samples per row (higher = more anomalous), when it ran. */
  readonly scores: Float64Array | null;
}

/**
 * Runs sklearn_score.py on `rows` (written to a temp file as little-endian float64; the first
 * `trainRows` rows are its training set) with one thread for OpenMP/BLAS, and returns its report.
 */
export function runSklearn(rows: Float64Array, rowCount: number, dims: number, trainRows: number, repetitions: number, seed: number): SklearnResult {
  const dir = mkdtempSync(join(tmpdir(), 'bench-model-'));
  try {
    const dataPath = join(dir, 'rows.f64');
    const scoresPath = join(dir, 'scores.f64');
    writeFileSync(dataPath, Buffer.from(rows.buffer, rows.byteOffset, rows.byteLength));
    const args = [SCRIPT, dataPath, rowCount, dims, trainRows, repetitions, seed, scoresPath].map(String);
    const child = spawnSync(PYTHON, args, {
      encoding: 'utf8',
      env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
      timeout: 15 * 60_000,
    });
    if (child.error !== undefined) return skipped(`cannot run ${PYTHON}: ${child.error.message}`);
    const line = child.stdout.trim().split('\n').pop() ?? '';
    let report: Record<string, unknown>;
    try {
      report = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return skipped(`sklearn_score.py exited ${child.status}: ${child.stderr.trim().slice(-300)}`);
    }
    if (report['skipped'] !== undefined) return { report, scores: null };
    const bytes = readFileSync(scoresPath);
    const scores = new Float64Array(rowCount);
    for (let i = 0; i < rowCount; i++) scores[i] = bytes.readDoubleLE(i * 8);
    return { report, scores };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function skipped(reason: string): SklearnResult {
  return { report: { implementation: 'scikit-learn', skipped: reason }, scores: null };
}
