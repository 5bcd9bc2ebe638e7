import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogGenerator } from '../../../functions/producer/generator/index.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
let dir: string;

/** Runs `npm run evaluate`'s entry point as node with tsx's loader; resolves with its exit and output. */
function evaluate(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'infra/evaluate/cli.ts', ...args], { cwd: repoRoot });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evaluate-test-'));
  // A labelled synthetic stream from the producer's generator: 3,000 records, 5 % anomalies.
  const generator = createLogGenerator({ anomalyRate: 0.05, seed: 21, producerId: 'evaluate-test', startTime: Date.parse('2026-11-24T06:00:00.000Z') });
  const generated = Array.from({ length: 3000 }, (_, i) => generator.next(i * 1000));
  await writeFile(join(dir, 'stream.log'), `${generated.map((one) => JSON.stringify(one.record)).join('\n')}\n`);
  await writeFile(join(dir, 'stream.labels'), `${generated.map((one) => one.label).join('\n')}\n`);
  await writeFile(join(dir, 'binary.labels'), `${generated.map((one) => (one.label === 'none' ? '0' : '1')).join('\n')}\n`);
  await writeFile(join(dir, 'short.labels'), '0\n1\n');
  await writeFile(join(dir, 'empty.log'), '');
  await writeFile(join(dir, 'bad.labels'), `${generated.map(() => '2').join('\n')}\n`);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm run evaluate', () => {
  it('replays a labelled stream and prints one JSON line with the metrics and per-kind recall', async () => {
    // Act
    const { code, stdout, stderr } = await evaluate(['--input', join(dir, 'stream.log'), '--labels', join(dir, 'stream.labels'), '--json']);

    // Assess
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0]!);
    expect(result).toMatchObject({ n: 3000, featureSet: 'full', thresholdRule: 'anchor', warmup: 1000 });
    expect(result.anomalies).toBeGreaterThan(60);
    for (const key of ['precision', 'recall', 'f1', 'prAuc', 'flaggedRate']) {
      expect(result[key]).toBeGreaterThanOrEqual(0);
      expect(result[key]).toBeLessThanOrEqual(1);
    }
    expect(result.f1).toBeCloseTo((2 * result.precision * result.recall) / (result.precision + result.recall), 3);
    expect(result.flaggedRate).toBeCloseTo(result.flagged / result.n, 3);
    expect(Object.keys(result.recallByKind).sort()).toEqual(['error_spike', 'keyword', 'message_deviation', 'temporal', 'unexpected_service']);
    // The full set finds most of the injected anomalies even on this short stream.
    expect(result.recall).toBeGreaterThan(0.6);
    expect(result.prAuc).toBeGreaterThan(0.6);
  });

  it('scores the seed set on the same stream, with 0/1 labels (no per-kind recall)', async () => {
    // Act
    const { code, stdout } = await evaluate(['--input', join(dir, 'stream.log'), '--labels', join(dir, 'binary.labels'), '--features', 'seed', '--threshold-rule', 'contamination', '--json']);

    // Assess
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ n: 3000, featureSet: 'seed', thresholdRule: 'contamination' });
    expect(result.recallByKind).toBeUndefined();
  });

  it.each([
    ['a label count that does not match', ['--input', 'stream.log', '--labels', 'short.labels'], /labels file has 2 lines but the log file has 3000/],
    ['an empty log file', ['--input', 'empty.log', '--labels', 'short.labels'], /log file is empty/],
    ['an unknown format', ['--input', 'stream.log', '--labels', 'stream.labels', '--format', 'xml'], /--format must be one of synthetic, bgl, generic/],
    ['an unknown label', ['--input', 'stream.log', '--labels', 'bad.labels'], /labels file line 1 must be 0, 1, none or an anomaly kind/],
    ['a missing file', ['--input', 'nope.log', '--labels', 'stream.labels'], /cannot be opened: ENOENT/],
    ['a directory as input', ['--input', '.', '--labels', 'stream.labels'], /is not a regular file/],
    ['lines that are not BGL', ['--input', 'stream.log', '--labels', 'stream.labels', '--format', 'bgl'], /line 1: a BGL line has at least 8/],
    ['a missing --labels', ['--input', 'stream.log'], /--input and --labels are required/],
  ])('fails clearly on %s', async (_what, args, message) => {
    // Act
    const { code, stdout, stderr } = await evaluate(args.map((arg) => (arg.endsWith('.log') || arg.endsWith('.labels') || arg === '.' ? join(dir, arg) : arg)));

    // Assess
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
  });
});
