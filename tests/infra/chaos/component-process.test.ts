/**
 * A fault must kill a component whole: PostgreSQL's backends leave their postmaster's process
 * group (setsid), so a group signal alone would leave them running and the restarted server would
 * find its shared memory still in use. These tests use a stand-in with the same shape.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProcessGroups, descendantsOf, killComponent, startComponent, stopComponent, type ComponentSpawn } from '../../../infra/chaos/component-process.js';
import { isProcessAlive } from '../../helpers/wait-for.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chaos-component-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A process that starts a child in a session (and process group) of its own, then says ready. */
const parentWithDetachedChild = [
  '-e',
  `const child = require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' });
   process.on('SIGTERM', () => { process.kill(child.pid, 'SIGTERM'); process.exit(0); });
   console.log('ready child=' + child.pid);
   setInterval(() => {}, 1000);`,
];

function spec(name: string, args: readonly string[]): ComponentSpawn {
  return { name, args, env: process.env, cwd: dir, logFile: join(dir, `${name}.log`), ready: /ready child=(\d+)/, readyTimeoutMs: 30_000 };
}

describe('chaos component processes', () => {
  it('a kill takes the component and every descendant, also one in another process group', async () => {
    // Prepare
    const groups = new ProcessGroups();
    const running = await startComponent(spec('tree', parentWithDetachedChild), groups);
    const child = Number(running.match[1]);
    expect(descendantsOf(running.pid)).toContain(child);

    // Act
    const status = await killComponent(running);

    // Assess: the child is not even a zombie: its parent reaped it before dying (PostgreSQL will not
    // start again while its killed postmaster's pid exists)
    expect(status.signal).toBe('SIGKILL');
    expect(isProcessAlive(running.pid)).toBe(false);
    expect(isProcessAlive(child)).toBe(false);
    expect(await readFile(join(dir, 'tree.log'), 'utf8')).toContain(`ready child=${child}`);
  });

  it('a stop asks the leader to end (SIGTERM) and it ends what it started', async () => {
    // Prepare
    const groups = new ProcessGroups();
    const running = await startComponent(spec('polite', parentWithDetachedChild), groups);
    const child = Number(running.match[1]);

    // Act
    const status = await stopComponent(running, 10_000);

    // Assess
    expect(status.code).toBe(0);
    await groups.killAll();
    await waitUntilDead(child);
  });

  it('killAll leaves nothing of any group it started', async () => {
    // Prepare
    const groups = new ProcessGroups();
    const first = await startComponent(spec('first', parentWithDetachedChild), groups);
    const second = await startComponent(spec('second', parentWithDetachedChild), groups);
    const pids = [first.pid, Number(first.match[1]), second.pid, Number(second.match[1])];

    // Act
    await groups.killAll();

    // Assess: leaders are reaped; the detached children were SIGKILLed (reaped by init shortly)
    expect(groups.started).toEqual([first.pid, second.pid]);
    for (const pid of pids) await waitUntilDead(pid);
  });

  it('a component that exits before it is ready is reported with what it printed', async () => {
    // Prepare
    const groups = new ProcessGroups();

    // Act
    const start = startComponent(spec('broken', ['-e', 'console.error("cannot bind port 1"); process.exit(3)']), groups);

    // Assess
    await expect(start).rejects.toThrow(/broken exited during start-up \(code 3, signal null\); its last output:\ncannot bind port 1/);
  });
});

/** A process sent SIGKILL is gone once reaped; polls (a hang guard, not a timing assertion). */
async function waitUntilDead(pid: number): Promise<void> {
  const zombieOrGone = async () => {
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
    } catch {
      return true;
    }
  };
  const deadline = Date.now() + 20_000;
  while (!(await zombieOrGone())) {
    if (Date.now() > deadline) throw new Error(`process ${pid} is still alive`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
