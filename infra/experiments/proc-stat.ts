/**
 * CPU time and resident memory of processes from Linux's /proc (USER_HZ = 100 ticks/s and 4 KiB
 * pages, as on x86-64 and most arm64 kernels). Everything returns null where /proc is absent.
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
  };
  return Object.values(stat).every((value) => typeof value === 'string' || Number.isFinite(value)) ? stat : null;
}

/** Live processes whose parent is `ppid`. */
export function childrenOf(ppid: number): ProcStat[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const children: ProcStat[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProcStat(Number(entry));
    if (stat !== null && stat.ppid === ppid) children.push(stat);
  }
  return children;
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
