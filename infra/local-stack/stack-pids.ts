/**
 * `<dataDir>/stack.pids.json`: which processes make up a running `npm start`, so that operator
 * commands (`npm run stats`) find them without Docker. Written once the functions' runtime is up,
 * removed when the stack stops. Each pid is stored with its start time (clock ticks after boot,
 * from /proc): a file left by a killed stack never names a process that merely reuses a pid.
 * PostgreSQL keeps its own pid file, `<dataDir>/postgres/data/postmaster.pid`.
 */
import { readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readProcStat } from '../process/proc-stat.js';

/** The stack's own processes: the launcher (`npm start`: producer loop, dashboard publisher), the services process (local MSK, S3, parent of PostgreSQL), the functions' runtime (serverless offline). */
export type StackRole = 'launcher' | 'services' | 'functions';

export interface StackProcess {
  readonly pid: number;
  /** /proc start time of the process, clock ticks after boot; null where /proc is absent. */
  readonly startTicks: number | null;
}

export type StackPids = Partial<Record<StackRole, StackProcess>>;

export const stackPidsFile = (dataDir: string): string => join(dataDir, 'stack.pids.json');

export async function writeStackPids(dataDir: string, pids: Partial<Record<StackRole, number>>): Promise<void> {
  const entries = Object.entries(pids).map(([role, pid]) => [role, { pid, startTicks: readProcStat(pid!)?.startTicks ?? null }]);
  await writeFile(stackPidsFile(dataDir), `${JSON.stringify(Object.fromEntries(entries), null, 2)}\n`, { mode: 0o644 });
}

export async function removeStackPids(dataDir: string): Promise<void> {
  await rm(stackPidsFile(dataDir), { force: true });
}

/** The roles of the file whose process still runs (same pid, same start time); {} without a file. */
export function readLiveStackPids(dataDir: string): StackPids {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(stackPidsFile(dataDir), 'utf8'));
  } catch {
    return {};
  }
  const live: StackPids = {};
  if (typeof parsed !== 'object' || parsed === null) return live;
  for (const role of ['launcher', 'services', 'functions'] as const) {
    const entry = (parsed as Record<string, unknown>)[role] as { pid?: unknown; startTicks?: unknown } | undefined;
    if (typeof entry?.pid !== 'number' || !Number.isSafeInteger(entry.pid) || entry.pid <= 0) continue;
    const now = readProcStat(entry.pid);
    if (now === null || (typeof entry.startTicks === 'number' && entry.startTicks !== now.startTicks)) continue;
    live[role] = { pid: entry.pid, startTicks: now.startTicks };
  }
  return live;
}

/** The postmaster's pid from `<dataDir>/postgres/data/postmaster.pid` when that process runs; null otherwise. */
export function livePostmasterPid(dataDir: string): number | null {
  let text: string;
  try {
    text = readFileSync(join(dataDir, 'postgres', 'data', 'postmaster.pid'), 'utf8');
  } catch {
    return null;
  }
  const pid = Number(text.split('\n')[0]);
  return Number.isSafeInteger(pid) && pid > 0 && readProcStat(pid) !== null ? pid : null;
}
