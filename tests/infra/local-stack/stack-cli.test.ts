import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { waitForExit } from '../../helpers/cli-process.js';
import { operator } from '../../helpers/operator-process.js';
import { isProcessAlive as alive } from '../../helpers/wait-for.js';

const cli = fileURLToPath(new URL('../../../infra/local-stack/cli.ts', import.meta.url));

describe('npm start (the stack CLI)', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  it('prints what runs where and a status line, then stops everything on Ctrl-C (SIGINT), leaving no process', async () => {
    // Prepare
    const dataDir = await mkdtemp(join(tmpdir(), 'stack-cli-'));
    dirs.push(dataDir);
    const ports = ['--kafka-port', '--control-plane-port', '--postgres-port', '--s3-port', '--lambda-port', '--http-port', '--websocket-port'].flatMap((flag) => [flag, '0']);
    const child = spawn(process.execPath, ['--import', 'tsx', cli, ...ports, '--data-dir', dataDir, '--env-path', join(dataDir, 'stack.env'), '--no-producer', '--log-level', 'error'], {
      // A first training window of the launcher's environment: the detector's, and the status line's.
      env: { ...process.env, KAFKA_BOOTSTRAP_SERVERS: '', DATABASE_URL: '', AWS_ENDPOINT_URL_S3: '', AWS_ENDPOINT_URL: '', MSK_CLUSTER_ARN: '', TRAINING_WINDOW: '', FIRST_TRAINING_WINDOW: '50' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const deadline = Date.now() + 150_000;
    while (!/produced \d+ · stored \d+/.test(stdout)) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the stack did not come up:\n${stdout}\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const runtimePid = Number(/serverless offline, pid (\d+)/.exec(stdout)![1]);
    const envFile = await readFile(join(dataDir, 'stack.env'), 'utf8');
    const postgresPid = Number((await readFile(join(dataDir, 'postgres', 'data', 'postmaster.pid'), 'utf8')).split('\n')[0]);
    // `npm run stats` finds every part of the running stack from its data directory (stack.pids.json, postmaster.pid).
    const stats = await operator('stats', ['--once', '--json', '--interval', '500ms', '--data-dir', dataDir]);
    // Act
    child.kill('SIGINT');
    const exit = await waitForExit(child);
    // Assess
    expect(stdout).toContain('local stack running:');
    expect(stdout).toMatch(/dashboard\s+http:\/\/127\.0\.0\.1:\d+\/log-anomaly-dashboard\//);
    expect(stdout).toContain('producer            none (--no-producer)');
    expect(stdout).not.toMatch(/postgres:\/\/postgres:postgres@/); // the password is never printed
    expect(`${stdout}${stderr}`).not.toContain('switched default partitioner'); // every kafkajs producer names its partitioner
    expect(stdout).toMatch(/produced 0 · stored 0 · anomalies 0 · dead letters 0 · lag 0 · first model after 50 stored \(0\/50\)/);
    expect(envFile).toMatch(/^TRAINING_WINDOW=1000$/m);
    expect(envFile).toMatch(/^FIRST_TRAINING_WINDOW=50$/m);
    expect(exit.code).toBe(0);
    expect(stderr).toContain('local stack stopped');
    expect(alive(runtimePid)).toBe(false);
    expect(alive(postgresPid)).toBe(false);
    expect(stats.code, stats.stderr).toBe(0);
    const components = (JSON.parse(stats.stdout) as { components: Array<{ component: string; pid: number; pids: number; rssBytes: number }> }).components;
    expect(components.map(({ component, pid }) => [component, pid])).toEqual([
      ['services', expect.any(Number)],
      ['postgres', postgresPid],
      ['functions', runtimePid],
      ['launcher', child.pid],
    ]);
    for (const component of components) expect(component.rssBytes).toBeGreaterThan(1024 * 1024);
    expect(await readFile(join(dataDir, 'stack.pids.json'), 'utf8').catch(() => 'gone')).toBe('gone'); // removed when the stack stops
  }, 240_000);
});
