/**
 * CPU time and resident memory of processes from Linux's /proc (USER_HZ = 100 ticks/s and 4 KiB
 * pages, as on x86-64 and most arm64 kernels). Everything returns null (or nothing) where /proc is
 * absent. The one /proc process reader of the tools: experiments' resource sampler, `npm run stats`,
 * the stack's pid file (infra/local-stack/stack-pids.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';

const ticksPerSecond = 100;
const pageBytes = 4096;

export interface ProcStat {
  readonly pid: number;
  readonly comm: string;
  readonly ppid: number;
  /** utime + stime of the process itself, seconds. */
  readonly cpuSeconds: number;
  /** cutime + cstime: children it has waited for, seconds. */
  readonly childrenCpuSeconds: number;
  readonly rssBytes: number;
  /** When the process started, in clock ticks after boot: with the pid, it names one process (pids are reused). */
  readonly startTicks: number;
}

export function readProcStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const fields = text.slice(close + 2).trim().split(/\s+/);
  const number = (index: number) => Number(fields[index]);
  const stat = {
    pid,
    comm: text.slice(open + 1, close),
    ppid: number(1),
    cpuSeconds: (number(11) + number(12)) / ticksPerSecond,
    childrenCpuSeconds: (number(13) + number(14)) / ticksPerSecond,
    rssBytes: number(21) * pageBytes,
    startTicks: number(19),
  };
  return Object.values(stat).every((value) => typeof value === 'string' || Number.isFinite(value)) ? stat : null;
}

/** Every live process, by pid (one pass over /proc). */
export function readProcTable(): Map<number, ProcStat> {
  const table = new Map<number, ProcStat>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return table;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProcStat(Number(entry));
    if (stat !== null) table.set(stat.pid, stat);
  }
  return table;
}

/** Live processes whose parent is `ppid`. */
export function childrenOf(ppid: number, table: ReadonlyMap<number, ProcStat> = readProcTable()): ProcStat[] {
  return [...table.values()].filter((stat) => stat.ppid === ppid);
}

/**
 * `pid` and its live descendants in `table`, parents before children; the subtrees rooted at
 * `excluded` pids are left out (a PostgreSQL server under the services process). Empty when `pid`
 * is not in the table.
 */
export function processTree(table: ReadonlyMap<number, ProcStat>, pid: number, excluded: ReadonlySet<number> = new Set()): ProcStat[] {
  const root = table.get(pid);
  if (root === undefined || excluded.has(pid)) return [];
  const children = new Map<number, ProcStat[]>();
  for (const stat of table.values()) {
    const list = children.get(stat.ppid);
    if (list === undefined) children.set(stat.ppid, [stat]);
    else list.push(stat);
  }
  const tree = [root];
  for (let index = 0; index < tree.length; index++) {
    for (const child of children.get(tree[index]!.pid) ?? []) if (!excluded.has(child.pid)) tree.push(child);
  }
  return tree;
}

export interface ServerUsage {
  /** CPU seconds of the server and every child it has had (exited children via cutime/cstime). */
  readonly cpuSeconds: number;
  readonly rssBytes: number;
  readonly processes: number;
}

/** A server process and its live children, e.g. a PostgreSQL postmaster and its backends. */
export function serverUsage(serverPid: number): ServerUsage | null {
  const server = readProcStat(serverPid);
  if (server === null) return null;
  const children = childrenOf(serverPid);
  return {
    cpuSeconds: server.cpuSeconds + server.childrenCpuSeconds + children.reduce((sum, child) => sum + child.cpuSeconds, 0),
    rssBytes: server.rssBytes + children.reduce((sum, child) => sum + child.rssBytes, 0),
    processes: 1 + children.length,
  };
}
