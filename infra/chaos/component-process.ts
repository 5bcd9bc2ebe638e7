/**
 * One OS process of a chaos run (the broker, PostgreSQL's launcher, the functions runtime), started
 * in a process group of its own; a fault's SIGKILL goes to that group and to every descendant of its
 * leader (PostgreSQL's server is a child of its launcher, the backends the server's children, each in
 * a group of its own), and to nothing else. Its stdout and stderr are
 * appended to a log file (kept across restarts: one file per component). Every group started is
 * recorded in a ProcessGroups so the run can kill whatever is left, whatever happens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { processTree, readProcStat, readProcTable } from '../process/proc-stat.js';

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** The process groups a run started (each child leads its own: group id = its pid). */
export class ProcessGroups {
  private readonly live = new Map<number, Promise<ExitStatus>>();
  /** Every group id ever started, in order (reported so a test can check none is left). */
  readonly started: number[] = [];

  add(pid: number, exited: Promise<ExitStatus>): void {
    this.started.push(pid);
    this.live.set(pid, exited);
    void exited.then(() => this.live.delete(pid));
  }

  /** SIGKILL to every group still running (and their descendants), then waits for their leaders to exit. Never rejects. */
  async killAll(): Promise<void> {
    for (const pid of this.live.keys()) killTree(pid);
    await Promise.all(this.live.values());
    // Members of a group whose leader exited first (a PostgreSQL backend) get the signal too.
    for (const pid of this.started) signalGroup(pid, 'SIGKILL');
  }
}

/**
 * The pids of every living descendant of `pid` (children first found, then theirs), from /proc.
 * PostgreSQL's backends leave their postmaster's process group (each calls setsid()), so a group
 * signal misses them: they are found this way instead.
 */
export function descendantsOf(pid: number): number[] {
  return processTree(readProcTable(), pid).slice(1).map((stat) => stat.pid);
}

/**
 * SIGKILL to the group led by `pid` and to every descendant of it, wherever its group: a whole
 * PostgreSQL server dies at once. The tree is frozen first (SIGSTOP), so that a process forked while
 * it is being listed (the postmaster starts a backend for every new connection) is found by the next
 * listing instead of outliving the kill. Returns the descendants it killed.
 *
 * With `spareLeader`, the leader is left alive (and let go on, SIGCONT) for the caller to kill once
 * it has reaped its own children: a killed child of a killed parent is reaped by init, which may take
 * its time, and PostgreSQL refuses to start while the pid in its lock file exists, a zombie included.
 */
export function killTree(pid: number, options: { spareLeader?: boolean } = {}): number[] {
  signalGroup(pid, 'SIGSTOP');
  const known = new Set<number>();
  // A frozen process forks no more; a listing that finds nothing new has found them all.
  for (let round = 0; round < 10; round++) {
    const found = descendantsOf(pid).filter((descendant) => !known.has(descendant));
    if (found.length === 0) break;
    for (const descendant of found) {
      known.add(descendant);
      signalPid(descendant, 'SIGSTOP');
    }
  }
  for (const descendant of known) signalPid(descendant, 'SIGKILL');
  if (options.spareLeader === true) signalPid(pid, 'SIGCONT');
  else signalGroup(pid, 'SIGKILL');
  return [...known];
}

/** The leader's direct children among `pids` (read before they die: a dead process's parent is gone from /proc). */
function childrenAmong(leader: number, pids: readonly number[]): number[] {
  return pids.filter((pid) => readProcStat(pid)?.ppid === leader);
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // gone already
  }
}

/** Sends `signal` to process group `pgid`; false when no process of it is left. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

export interface ComponentSpawn {
  /** Short name used in messages ("broker"). */
  readonly name: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly logFile: string;
  /** A stdout line matching this means the component is ready; its groups are returned. */
  readonly ready: RegExp;
  /** Longest wait for the ready line, in ms. */
  readonly readyTimeoutMs: number;
}

export interface RunningComponent {
  readonly pid: number;
  /** The ready line's match. */
  readonly match: RegExpExecArray;
  readonly exited: Promise<ExitStatus>;
  readonly child: ChildProcess;
}

export class ComponentStartError extends Error {
  override readonly name = 'ComponentStartError';
}

/**
 * Starts `node <args>` in its own process group and resolves once it prints its ready line.
 * Rejects (after killing the group) when it exits first or does not get ready in time, with the
 * end of what it printed.
 */
export async function startComponent(spec: ComponentSpawn, groups: ProcessGroups): Promise<RunningComponent> {
  const log: WriteStream = createWriteStream(spec.logFile, { flags: 'a' });
  log.write(`--- ${new Date().toISOString()} starting ${spec.name}\n`);
  const child = spawn(process.execPath, [...spec.args], { cwd: spec.cwd, env: spec.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<ExitStatus>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  // The log stream closes once both pipes have ended (after the exit), whatever the order.
  void Promise.all([new Promise((resolve) => child.stdout!.once('close', resolve)), new Promise((resolve) => child.stderr!.once('close', resolve))]).then(() => log.end());
  if (child.pid === undefined) {
    const error = await new Promise<Error>((resolve) => child.once('error', resolve));
    throw new ComponentStartError(`${spec.name} could not be started: ${error.message}`);
  }
  groups.add(child.pid, exited);
  let tail = '';
  const keep = (text: string) => {
    tail = (tail + text).slice(-4_000);
  };
  child.stderr!.on('data', (chunk: Buffer) => {
    log.write(chunk);
    keep(chunk.toString('utf8'));
  });
  let stdout: string | null = '';
  const match = await new Promise<RegExpExecArray | string>((resolve) => {
    const timer = setTimeout(() => resolve(`did not get ready within ${spec.readyTimeoutMs / 1000} s`), spec.readyTimeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      log.write(chunk);
      const text = chunk.toString('utf8');
      keep(text);
      if (stdout === null) return; // ready already: only logged
      stdout = (stdout + text).slice(-8_000);
      const found = spec.ready.exec(stdout);
      if (found !== null) {
        stdout = null;
        clearTimeout(timer);
        resolve(found);
      }
    });
    void exited.then((status) => {
      clearTimeout(timer);
      resolve(`exited during start-up (code ${status.code}, signal ${status.signal})`);
    });
  });
  if (typeof match === 'string') {
    signalGroup(child.pid, 'SIGKILL');
    await exited;
    throw new ComponentStartError(`${spec.name} ${match}; its last output:\n${tail.trim()}`);
  }
  return { pid: child.pid, match, exited, child };
}

/**
 * A fault: SIGKILL to every descendant of the component's leader (killTree), then, once the leader
 * has reaped its own children, to the leader's group; resolves once the leader has exited.
 */
export async function killComponent(running: RunningComponent): Promise<ExitStatus> {
  const tree = descendantsOf(running.pid);
  const children = childrenAmong(running.pid, tree);
  killTree(running.pid, { spareLeader: true });
  await waitUntilGone(children);
  signalGroup(running.pid, 'SIGKILL');
  return running.exited;
}

/**
 * Resolves once none of `pids` exists any more (a zombie still does: it is gone once reaped),
 * polling every 50 ms; bounded (10 s): they were sent SIGKILL, their parent reaps them at once.
 */
async function waitUntilGone(pids: readonly number[]): Promise<void> {
  const exists = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const deadline = Date.now() + 10_000;
  while (pids.some(exists) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}

/**
 * Asks the component to stop (SIGTERM to its leader, which shuts down what it runs: PostgreSQL's
 * launcher asks the server for a fast shutdown), SIGKILL to the whole group after `graceMs`;
 * resolves once the leader has exited, and kills whatever of the group is left.
 */
export async function stopComponent(running: RunningComponent, graceMs: number): Promise<ExitStatus> {
  try {
    process.kill(running.pid, 'SIGTERM');
  } catch {
    // already gone
  }
  const timer = setTimeout(() => killTree(running.pid), graceMs);
  const status = await running.exited;
  clearTimeout(timer);
  signalGroup(running.pid, 'SIGKILL');
  return status;
}
