import { afterEach, describe, expect, it } from 'vitest';
import { kafkaClient } from '../../helpers/broker.js';
import { spawnLocalMsk, startLocalMskProcess, waitForExit, type ReadyBroker } from '../../helpers/cli-process.js';

describe('npm run kafka (infra/local-msk/cli.ts)', () => {
  let running: ReadyBroker | null = null;

  afterEach(async () => {
    if (running && running.child.exitCode === null) {
      running.child.kill('SIGKILL');
      await waitForExit(running.child);
    }
    running = null;
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('prints one ready line, serves kafkajs, and stops cleanly on %s', async (signal) => {
    // Prepare
    running = await startLocalMskProcess(['--port', '0', '--control-plane-port', '0', '--in-memory']);
    const admin = kafkaClient(running).admin();

    // Act
    await admin.connect();
    const cluster = await admin.describeCluster();
    await admin.disconnect();
    running.child.kill(signal);
    const exit = await waitForExit(running.child);

    // Assess
    expect(running.bootstrap).toMatch(/^localhost:\d+$/);
    expect(running.controlPlaneUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(cluster.brokers).toHaveLength(1);
    expect(exit).toEqual({ code: 0, signal: null });
  });

  it('exits with code 2 and a clear message on a bad flag', async () => {
    // Prepare
    const child = spawnLocalMsk(['--port', 'nope']);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

    // Act
    const exit = await waitForExit(child);

    // Assess
    expect(exit.code).toBe(2);
    expect(stderr).toMatch(/option --port: "nope" must be an integer/);
  });

  it('exits with a clear message when the port is taken', async () => {
    // Prepare
    running = await startLocalMskProcess(['--port', '0', '--no-control-plane', '--in-memory']);
    const port = running.bootstrap.split(':')[1]!;
    const second = spawnLocalMsk(['--port', port, '--no-control-plane', '--in-memory']);
    let stderr = '';
    second.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

    // Act
    const exit = await waitForExit(second);

    // Assess
    expect(exit.code).not.toBe(0);
    expect(exit.code).toBe(2);
    expect(stderr).toMatch(/cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\)/);
  });
});
