import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { waitForExit } from '../../helpers/cli-process.js';

const fixture = fileURLToPath(new URL('./fixtures/services-then-wait.ts', import.meta.url));

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitFor(what: string, condition: () => boolean, limitMs = 60_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('processes the local stack starts', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  it('stop by themselves when the launcher is killed outright (SIGKILL)', async () => {
    // Prepare: a launcher that started the services (their own process group, PostgreSQL among them)
    const dataDir = await mkdtemp(join(tmpdir(), 'orphan-cleanup-'));
    dirs.push(dataDir);
    const launcher = spawn(process.execPath, ['--import', 'tsx', fixture, dataDir]);
    let output = '';
    launcher.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    launcher.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(`the services to start (output: ${output})`, () => /services pid \d+/.test(output), 120_000);
    const servicesPid = Number(/services pid (\d+)/.exec(output)![1]);
    expect(alive(servicesPid)).toBe(true);
    // Act
    launcher.kill('SIGKILL');
    await waitForExit(launcher);
    // Assess: the services process notices, stops PostgreSQL and Kafka cleanly, and exits
    await waitFor('the orphaned services to stop', () => !alive(servicesPid));
    expect(alive(servicesPid)).toBe(false);
  }, 180_000);
});
