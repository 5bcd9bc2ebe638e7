import { readFileSync } from 'node:fs';

/** USER_HZ on Linux: /proc CPU times are in these ticks. */
const ticksPerSecond = 100;

/** CPU seconds (user + system) of one process, 0 once it is gone. */
function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return 0;
  }
}

function childPids(pid: number): number[] {
  try {
    const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return text === '' ? [] : text.split(/\s+/).map(Number);
  } catch {
    return [];
  }
}

function treeCpuSeconds(pid: number): number {
  return processCpuSeconds(pid) + childPids(pid).reduce((sum, child) => sum + treeCpuSeconds(child), 0);
}

/** Which processes make up a component: `self` counts one process, `tree` it and its descendants. */
export type ComponentProcesses = Record<string, { pid: number; scope: 'self' | 'tree' | 'children' }>;

/** CPU seconds used so far per component (children: the descendants only). */
export function readCpu(components: ComponentProcesses): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, { pid, scope }] of Object.entries(components)) {
    out[name] = scope === 'self' ? processCpuSeconds(pid) : scope === 'tree' ? treeCpuSeconds(pid) : childPids(pid).reduce((sum, child) => sum + treeCpuSeconds(child), 0);
  }
  return out;
}

/** Cores used per component between two readings (1.0 = one full core), rounded to 0.01. */
export function coresUsed(before: Record<string, number>, after: Record<string, number>, wallSeconds: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of Object.keys(after)) out[name] = Math.round((((after[name] ?? 0) - (before[name] ?? 0)) / wallSeconds) * 100) / 100;
  return out;
}
