/**
 * `npm run stats -- [--once] [--interval 2s] [--json] [--data-dir DIR]`: CPU and resident memory of
 * each part of the running local stack, refreshed like `docker stats` (`--once`: one reading, like
 * `docker stats --no-stream`). Without Docker, the stack's processes are found from its data
 * directory: `stack.pids.json`, which `npm start` writes (launcher, services, functions: stack-pids.ts),
 * and PostgreSQL's own `postgres/data/postmaster.pid`; with `npm run local:services` alone, the
 * services process is the postmaster's parent. Read from /proc (infra/process/proc-stat.ts), Linux only.
 *
 * Components: services (the local MSK broker and the S3 emulator: one Node process, PostgreSQL's
 * subtree left out), postgres (the postmaster and its backends), functions (serverless offline and
 * every process under it), launcher (`npm start` itself: the producer loop, the dashboard publisher,
 * the status line). CPU % is of one core (200 % = both cores of a 2-core machine), over the
 * interval; MEM is the resident set summed over the component's processes (shared pages, such as
 * PostgreSQL's shared buffers, count in each process that touched them).
 * Exit 0; 1 when no running stack is found (or it stops); 2 for bad options.
 */
import '../process/quiet-sdk-notice.js';
import { resolve } from 'node:path';
import { ConfigError, InfrastructureError } from '../../functions/shared/errors.js';
import { repoRoot } from '../deploy/osls.js';
import { parseDurationSeconds } from '../experiments/duration.js';
import { livePostmasterPid, readLiveStackPids, stackPidsFile } from '../local-stack/stack-pids.js';
import { processTree, readProcStat, readProcTable, type ProcStat } from '../process/proc-stat.js';
import { parseFlags } from './flags.js';
import { runOperator } from './operator-cli.js';

export const STATS_USAGE = `usage: npm run stats -- [--once] [--interval 2s] [--json] [--data-dir DIR]
CPU % (of one core) and resident memory of each part of the running local stack, like \`docker stats\`:
services (local MSK broker + S3 emulator), postgres (server and backends), functions (serverless
offline and its processes), launcher (\`npm start\`: producer loop, dashboard publisher).
  --once          one reading over one interval, then exit (\`docker stats --no-stream\`)
  --interval D    time between readings: 2s (default), 500ms, 1m; a bare number is seconds
  --json          one JSON line per reading
  --data-dir DIR  the stack's data directory (default .data, as \`npm start\` uses)`;

const specs = { once: { kind: 'switch' }, interval: { kind: 'text' }, json: { kind: 'switch' }, 'data-dir': { kind: 'text' }, help: { kind: 'switch' } } as const;

export type ComponentName = 'services' | 'postgres' | 'functions' | 'launcher';

/** A part of the stack: the processes under `pid` (only `pid` itself when `self`), without the subtrees under `excluded`. */
export interface StackComponent {
  readonly component: ComponentName;
  readonly pid: number;
  readonly self: boolean;
  readonly excluded: readonly number[];
  readonly what: string;
}

/** The running stack's components found under `dataDir`; [] when none runs. */
export function findStackComponents(dataDir: string): StackComponent[] {
  const pids = readLiveStackPids(dataDir);
  const postmaster = livePostmasterPid(dataDir);
  let services = pids.services?.pid ?? null;
  if (services === null && postmaster !== null) {
    // `npm run local:services` alone (or a stack started before pid files): PostgreSQL's parent runs the broker and S3.
    const parent = readProcStat(readProcStat(postmaster)?.ppid ?? 0);
    if (parent !== null && parent.comm.startsWith('node')) services = parent.pid;
  }
  const components: StackComponent[] = [];
  if (services !== null) components.push({ component: 'services', pid: services, self: false, excluded: postmaster === null ? [] : [postmaster], what: 'local MSK broker + S3 emulator' });
  if (postmaster !== null) components.push({ component: 'postgres', pid: postmaster, self: false, excluded: [], what: 'PostgreSQL server and backends' });
  if (pids.functions !== undefined) components.push({ component: 'functions', pid: pids.functions.pid, self: false, excluded: [], what: 'serverless offline: the functions and their mappings' });
  if (pids.launcher !== undefined) components.push({ component: 'launcher', pid: pids.launcher.pid, self: true, excluded: [], what: 'npm start: producer loop, dashboard publisher' });
  return components;
}

export interface ComponentSample {
  readonly component: ComponentName;
  readonly pid: number;
  readonly pids: number;
  /** CPU seconds of the processes and of the children they have reaped (so an exited backend's time is not lost). */
  readonly cpuSeconds: number;
  readonly rssBytes: number;
}

export function sampleComponents(components: readonly StackComponent[], table: ReadonlyMap<number, ProcStat> = readProcTable()): ComponentSample[] {
  return components.map(({ component, pid, self, excluded }) => {
    const processes = self ? [table.get(pid)].filter((stat): stat is ProcStat => stat !== undefined) : processTree(table, pid, new Set(excluded));
    return {
      component,
      pid,
      pids: processes.length,
      cpuSeconds: processes.reduce((sum, stat) => sum + stat.cpuSeconds + (self ? 0 : stat.childrenCpuSeconds), 0),
      rssBytes: processes.reduce((sum, stat) => sum + stat.rssBytes, 0),
    };
  });
}

export interface ComponentReading {
  readonly component: ComponentName;
  readonly pid: number;
  readonly pids: number;
  /** Of one core over the interval, one decimal. */
  readonly cpuPercent: number;
  readonly rssBytes: number;
}

export function readingsBetween(before: readonly ComponentSample[], after: readonly ComponentSample[], wallSeconds: number): ComponentReading[] {
  return after
    .filter((sample) => sample.pids > 0)
    .map((sample) => {
      const earlier = before.find((one) => one.component === sample.component && one.pid === sample.pid);
      const used = Math.max(0, sample.cpuSeconds - (earlier?.cpuSeconds ?? sample.cpuSeconds));
      return { component: sample.component, pid: sample.pid, pids: sample.pids, cpuPercent: Math.round((used / wallSeconds) * 1000) / 10, rssBytes: sample.rssBytes };
    });
}

export function formatReadings(readings: readonly ComponentReading[], components: readonly StackComponent[]): string {
  const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  const rows = readings.map((reading) => [reading.component, String(reading.pid), String(reading.pids), `${reading.cpuPercent.toFixed(1)}%`, mib(reading.rssBytes), components.find((one) => one.component === reading.component)?.what ?? '']);
  const total = readings.reduce((sum, reading) => ({ pids: sum.pids + reading.pids, cpu: sum.cpu + reading.cpuPercent, rss: sum.rss + reading.rssBytes }), { pids: 0, cpu: 0, rss: 0 });
  rows.push(['total', '', String(total.pids), `${total.cpu.toFixed(1)}%`, mib(total.rss), '']);
  const header = ['COMPONENT', 'PID', 'PIDS', 'CPU %', 'MEM', 'WHAT'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const right = new Set([1, 2, 3, 4]);
  const line = (cells: string[]) => cells.map((cell, column) => (column === cells.length - 1 ? cell : right.has(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

function intervalSeconds(text: string | undefined): number {
  if (text === undefined) return 2;
  const seconds = parseDurationSeconds(text, '--interval', 's');
  if (seconds < 0.1 || seconds > 3600) throw new ConfigError(`--interval must be from 100ms to 1h (got ${JSON.stringify(text.slice(0, 32))})`);
  return seconds;
}

const sleep = (seconds: number) => new Promise((done) => setTimeout(done, seconds * 1000));

export async function showStats(argv: readonly string[], write: (text: string) => void = (text) => process.stdout.write(text)): Promise<number> {
  const { flags, positional } = parseFlags(argv, specs, STATS_USAGE);
  if (flags.help) {
    write(`${STATS_USAGE}\n`);
    return 0;
  }
  if (positional.length > 0) throw new ConfigError(`unexpected argument ${JSON.stringify(positional[0]!.slice(0, 80))}`);
  const interval = intervalSeconds(flags.interval);
  const dataDir = resolve(flags['data-dir'] ?? resolve(repoRoot, '.data'));
  if (process.platform !== 'linux') throw new InfrastructureError('stats reads /proc, which only Linux has');
  const clear = !flags.json && !flags.once && process.stdout.isTTY === true;
  let components = findStackComponents(dataDir);
  if (components.length === 0) throw new InfrastructureError(`no running stack found in ${dataDir} (no live process in ${stackPidsFile(dataDir)} or postgres/data/postmaster.pid): start it with \`npm start\`, or name its --data-dir`);
  let before = sampleComponents(components);
  let startedAt = performance.now();
  for (;;) {
    await sleep(interval);
    const after = sampleComponents(components);
    const sampledAt = performance.now();
    const wall = (sampledAt - startedAt) / 1000;
    const readings = readingsBetween(before, after, wall);
    if (readings.length === 0) throw new InfrastructureError(`the stack in ${dataDir} stopped`);
    if (flags.json) write(`${JSON.stringify({ time: new Date().toISOString(), intervalSeconds: Math.round(wall * 1000) / 1000, components: readings })}\n`);
    else write(`${clear ? '\u001b[H\u001b[2J' : ''}${formatReadings(readings, components)}\n${clear || flags.once ? '' : '\n'}`);
    if (flags.once) return 0;
    // The stack may have been restarted (new pids): look again.
    const now = findStackComponents(dataDir);
    const same = now.length === components.length && now.every((one, i) => one.pid === components[i]!.pid);
    if (now.length === 0) throw new InfrastructureError(`the stack in ${dataDir} stopped`);
    if (same) {
      before = after;
      startedAt = sampledAt;
    } else {
      components = now;
      before = sampleComponents(components);
      startedAt = performance.now();
    }
  }
}

if (process.argv[1]?.endsWith('stats.ts')) await runOperator('stats', (argv) => showStats(argv));
