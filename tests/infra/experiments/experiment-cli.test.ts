import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getExperiment } from '../../../functions/shared/db/index.js';
import { waitForExit } from '../../helpers/cli-process.js';
import { startExperimentTestServices, type ExperimentTestServices } from './experiment-kit.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
let test: ExperimentTestServices;
const children: ChildProcessWithoutNullStreams[] = [];

beforeAll(async () => {
  test = await startExperimentTestServices();
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await test?.stop();
});

/** `npm run experiment`'s entry point as a real child process reaching the test services. */
function spawnExperiment(args: string[]): { child: ChildProcessWithoutNullStreams; output: () => { stdout: string; stderr: string } } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/experiments/experiment-cli.ts', ...args], { cwd: repoRoot, env: { ...process.env, ...test.env } });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, output: () => ({ stdout, stderr }) };
}

async function waitForRow(id: string, status: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const row = await getExperiment(test.db.pool, id).catch(() => null);
    if (row?.status === status) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`experiment ${id} did not become ${status} within ${timeoutMs} ms`);
}

describe('npm run experiment (CLI)', () => {
  it('answers an argument error with the message and the usage text, exit status 2', async () => {
    // Act
    const { child, output } = spawnExperiment(['baseline', '1', '1']);
    const exit = await waitForExit(child);

    // Assess
    expect(exit.code).toBe(2);
    expect(output().stderr).toContain('error: expected <name> <producers> <consumers> <partitions>, got 3 arguments');
    expect(output().stderr).toContain('Usage: npm run experiment -- <name> <producers> <consumers> <partitions> [duration_minutes] [log_rate]');
  });

  it('marks the experiment failed when interrupted with Ctrl-C (SIGINT), exit status 130', async () => {
    // Prepare
    const { child, output } = spawnExperiment(['interrupted', '1', '1', '1', '--duration', '2m', '--rate', '10', '--json']);
    const started = await waitForStartedId(output, 30_000);
    await waitForRow(started, 'running', 30_000);

    // Act
    child.kill('SIGINT');
    const exit = await waitForExit(child);

    // Assess
    expect(exit.code).toBe(130);
    const row = await getExperiment(test.db.pool, started);
    expect(row).toMatchObject({ status: 'failed' });
    expect(row!.statusReason).toMatch(/interrupted: SIGINT \(Ctrl-C\)/);
    expect(output().stdout).toBe(''); // no summary for a run that did not finish
  });
});

/** The id from the progress line the CLI prints (non-TTY: the first update at once). */
async function waitForStartedId(output: () => { stderr: string }, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = /^(interrupted-\d{8}T\d{6}-[0-9a-f]{4}) /m.exec(output().stderr);
    if (match) return match[1]!;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no progress line within ${timeoutMs} ms: ${output().stderr}`);
}
