/**
 * The short form of `npm run chaos`, run as the CLI itself: the real broker, functions runtime and
 * PostgreSQL as processes of their own, each killed once with SIGKILL while a few hundred records
 * a second flow, then restarted. Every produced record must be stored exactly once, and nothing
 * the run started may be left: no process, no directory — also after a Ctrl-C.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../helpers/wait-for.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

interface CliRun {
  readonly pid: number;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `npm run chaos`'s entry with `args`; `whileRunning` may act on it (e.g. interrupt it). */
function runChaos(args: readonly string[], whileRunning?: (pid: number, stderr: () => string) => Promise<void>): Promise<CliRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/chaos/cli.ts', ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<CliRun>((resolve) => child.once('close', (code, signal) => resolve({ pid: child.pid!, code, signal, stdout, stderr })));
  void whileRunning?.(child.pid!, () => stderr);
  return exited;
}

/**
 * Living processes the run started: each carries STOP_WITH_PARENT_PID=<the chaos process> in its
 * environment (PostgreSQL's server and backends inherit it), whatever its process group.
 */
function startedBy(chaosPid: number): number[] {
  const marker = `STOP_WITH_PARENT_PID=${chaosPid}\0`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue; // dead, awaiting its reaper
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').includes(marker)) found.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** Waits (a hang guard, not a timing assertion) until nothing the run started is alive; returns what is left. */
async function survivorsOf(chaosPid: number): Promise<number[]> {
  await waitFor('the run\'s processes to be gone', () => startedBy(chaosPid).length === 0, 30_000, 100).catch(() => undefined);
  return startedBy(chaosPid);
}

describe('npm run chaos', () => {
  it('kills the broker, the functions runtime and PostgreSQL once each, and every record is stored exactly once', async () => {
    // Act
    const run = await runChaos(['--minutes', '0.5', '--rate', '300', '--faults', '3', '--seed', '7', '--json']);

    // Assess
    expect(run.code, run.stderr.slice(-4_000)).toBe(0);
    const result = JSON.parse(run.stdout.trim());
    expect(result).toMatchObject({
      ok: true,
      seed: 7,
      faults: 3,
      faultsByKind: { broker: 1, runtime: 1, postgres: 1 },
      produced: 9_000,
      stored: 9_000,
      lost: 0,
      duplicated: 0,
      unexpected: 0,
      drained: true,
      deadLetters: {},
      kept: false,
    });
    expect(result.faultLog.map((fault: { backAfterS: number | null }) => fault.backAfterS !== null)).toEqual([true, true, true]);
    expect(run.stderr.match(/fault [1-3]\/3: SIGKILL (broker|runtime|postgres)/g)).toHaveLength(3);
    expect(run.stderr).toContain('OK: every produced record is stored exactly once');
    expect(existsSync(result.runDir)).toBe(false);
    expect(await survivorsOf(run.pid)).toEqual([]);
  }, 600_000);

  it('on Ctrl-C kills everything it started and removes its directory', async () => {
    // Act: interrupt once records are flowing
    let runningBeforeInterrupt = 0;
    const run = await runChaos(['--minutes', '1', '--rate', '200', '--faults', '0', '--json'], async (pid, stderr) => {
      await waitFor('production to start', () => stderr().includes('producing 200 records/s'), 300_000, 100).catch(() => undefined);
      runningBeforeInterrupt = startedBy(pid).length;
      process.kill(pid, 'SIGINT');
    });

    // Assess: the broker, PostgreSQL (its launcher, server, backends) and the runtime were running
    expect(runningBeforeInterrupt).toBeGreaterThanOrEqual(4);
    expect(run.code, run.stderr.slice(-4_000)).toBe(130);
    expect(run.stdout).toBe('');
    const runDir = /run directory (\S+)\)/.exec(run.stderr)?.[1];
    expect(runDir).toBeDefined();
    expect(existsSync(runDir!)).toBe(false);
    expect(await survivorsOf(run.pid)).toEqual([]);
  }, 400_000);

  it('refuses a bad flag before starting anything (exit 2), naming the flag', async () => {
    // Act
    const run = await runChaos(['--rate', 'fast']);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('chaos: --rate: "fast" must be a whole number from 1 to 50000');
    expect(run.stdout).toBe('');
  }, 60_000);
});
