import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';

const PINNED_ENV = 'BENCH_MODEL_PINNED';

/**
 * Re-runs this process under `taskset -c <last cpu>` so every implementation (and the Python child,
 * which inherits the affinity) gets the same single core. Returns the core pinned to, or the reason
 * it was not pinned; when it re-runs, this process exits with the pinned run's status instead.
 */
export function pinToOneCore(): string {
  if (process.env[PINNED_ENV] !== undefined) return process.env[PINNED_ENV] as string;
  const core = String(cpus().length - 1);
  if (spawnSync('taskset', ['--version']).status !== 0) return 'not pinned: taskset unavailable';
  const run = spawnSync('taskset', ['-c', core, process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, [PINNED_ENV]: `cpu ${core}` },
  });
  process.exit(run.status ?? 1);
}
