import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { waitForExit } from '../../helpers/cli-process.js';
import { isProcessAlive as alive, waitFor } from '../../helpers/wait-for.js';

const fixture = fileURLToPath(new URL('./fixtures/services-then-wait.ts', import.meta.url));

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
    await waitFor(`the services to start (output: ${output})`, () => /services pid \d+/.test(output), 120_000, 100);
    const servicesPid = Number(/services pid (\d+)/.exec(output)![1]);
    expect(alive(servicesPid)).toBe(true);
    // Act
    launcher.kill('SIGKILL');
    await waitForExit(launcher);
    // Assess: the services process notices, stops PostgreSQL and Kafka cleanly, and exits
    await waitFor('the orphaned services to stop', () => !alive(servicesPid), 60_000, 100);
    expect(alive(servicesPid)).toBe(false);
  }, 180_000);
});
