import { readFileSync } from 'node:fs';

/** CPU seconds (user + system) a process has used so far, read from /proc (Linux). */
export function processCpuSeconds(pid: number): number {
  return cpuSecondsOfStat(`/proc/${pid}/stat`);
}

/** CPU seconds one thread of a process has used so far; the main thread's id is the process id. */
export function threadCpuSeconds(pid: number, tid: number): number {
  return cpuSecondsOfStat(`/proc/${pid}/task/${tid}/stat`);
}

function cpuSecondsOfStat(file: string): number {
  const stat = readFileSync(file, 'utf8');
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15 (1-based).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticksPerSecond = 100; // USER_HZ on Linux
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** CPU seconds this process has used so far. */
export function ownCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

/** CPU seconds used by a process and all its descendants; 0 for a process that has exited. */
export function cpuOfTree(pid: number): number {
  let total: number;
  try {
    total = processCpuSeconds(pid);
  } catch {
    return 0;
  }
  for (const childPid of childPids(pid)) total += cpuOfTree(childPid);
  return total;
}

/** Direct children of a process, from /proc/<pid>/task/<pid>/children (Linux >= 3.5). */
export function childPids(pid: number): number[] {
  try {
    const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return text === '' ? [] : text.split(/\s+/).map(Number);
  } catch {
    return [];
  }
}
