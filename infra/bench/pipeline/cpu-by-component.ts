import { childPids, cpuOfTree, processCpuSeconds } from '../../local-msk/bench/process-cpu.js';

/** Which processes make up a component: `self` counts one process, `tree` it and its descendants, `children` only the descendants. */
export type ComponentProcesses = Record<string, { pid: number; scope: 'self' | 'tree' | 'children' }>;

function ownSeconds(pid: number): number {
  try {
    return processCpuSeconds(pid);
  } catch {
    return 0; // the process has exited
  }
}

/** CPU seconds used so far per component. */
export function readCpu(components: ComponentProcesses): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, { pid, scope }] of Object.entries(components)) {
    out[name] = scope === 'self' ? ownSeconds(pid) : scope === 'tree' ? cpuOfTree(pid) : childPids(pid).reduce((sum, child) => sum + cpuOfTree(child), 0);
  }
  return out;
}

/** Cores used per component between two readings (1.0 = one full core), rounded to 0.01. */
export function coresUsed(before: Record<string, number>, after: Record<string, number>, wallSeconds: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of Object.keys(after)) out[name] = Math.round((((after[name] ?? 0) - (before[name] ?? 0)) / wallSeconds) * 100) / 100;
  return out;
}
