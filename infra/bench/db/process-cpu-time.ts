/**
 * CPU time of one process (e.g. a PostgreSQL backend) from /proc, Linux only. `schedstat` counts
 * nanoseconds on the CPU (the precise figure); `stat` counts utime + stime in 1/100 s ticks (what
 * `ps` shows), read as a cross-check. Both in microseconds.
 */
import { readFileSync } from 'node:fs';

/** USER_HZ: /proc/<pid>/stat's clock ticks per second on Linux. */
const TICKS_PER_SECOND = 100;

export interface ProcessCpuTime {
  /** From /proc/<pid>/schedstat (ns resolution); null when the kernel does not expose it. */
  readonly scheduledUs: number | null;
  /** utime + stime from /proc/<pid>/stat (10 ms resolution). */
  readonly statUs: number;
}

export function readProcessCpuTime(pid: number): ProcessCpuTime {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name: utime and stime are fields 14 and 15 (1-based).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const statUs = ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1e6;
  let scheduledUs: number | null = null;
  try {
    scheduledUs = Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e3;
  } catch {
    scheduledUs = null;
  }
  return { scheduledUs, statUs };
}

/** CPU µs between two readings: schedstat when both have it, else stat. */
export function cpuUsBetween(before: ProcessCpuTime, after: ProcessCpuTime): number {
  if (before.scheduledUs !== null && after.scheduledUs !== null) return after.scheduledUs - before.scheduledUs;
  return after.statUs - before.statUs;
}
