/**
 * The batch suite: every entry × trial as its own experiment (id `<suite>.<name>.t<trial>[.a<n>]`),
 * trials as the outer loop (so slow drift of the machine spreads over all configurations), a
 * cool-down between runs. Resumable: runs of the suite that completed are skipped; a run found
 * still `running` (its process was killed) is marked failed and run again under a new attempt id.
 * A failed run is recorded and the suite goes on; an interrupt stops the suite.
 */
import { finishExperiment, listExperiments, type Experiment } from '../../functions/shared/db/index.js';
import type { BatchCommand } from './batch-args.js';
import { ExperimentInterruptedError, ExperimentRefusedError, ExperimentUsageError } from './errors.js';
import { refusals, type ExperimentSpec } from './experiment-spec.js';
import { bar, runLine } from './progress.js';
import { runExperiment, type RunContext, type RunResult } from './run-experiment.js';
import type { ExperimentServices } from './services.js';
import { seedSuite, type SuiteEntry } from './suite.js';
import { sleepUnlessAborted } from './timeouts.js';

export interface SuitePlanItem {
  readonly entry: SuiteEntry;
  readonly trial: number;
  readonly spec: ExperimentSpec;
}

export interface SuiteOutcome {
  readonly suiteId: string;
  readonly completed: readonly string[];
  readonly skipped: readonly string[];
  readonly failed: ReadonlyArray<{ readonly id: string; readonly reason: string }>;
  readonly interrupted: boolean;
}

export interface SuiteContext {
  readonly services: ExperimentServices;
  readonly signal: AbortSignal;
  readonly onProgress?: (line: string) => void;
  readonly note?: (line: string) => void;
  /** The run of one experiment (runExperiment; tests may wrap it). */
  readonly run?: (spec: ExperimentSpec, ctx: RunContext) => Promise<RunResult>;
}

/** Settings that must match between a suite's earlier runs and a resumed one. */
const comparedSettings = ['durationSeconds', 'ratePerProducer', 'batchSize', 'batchingWindowSeconds', 'anomalyRate', 'warmupSeconds', 'seed'] as const;

export function planSuite(command: BatchCommand, entries: readonly SuiteEntry[] = seedSuite): SuitePlanItem[] {
  const chosen = entries.filter((entry) => command.groups === null || command.groups.includes(entry.group));
  const plan: SuitePlanItem[] = [];
  for (let trial = 1; trial <= command.trials; trial++) {
    for (const entry of chosen) {
      const spec: ExperimentSpec = {
        name: entry.name, producers: entry.producers, consumers: entry.consumers, partitions: entry.partitions,
        durationSeconds: command.durationSeconds, ratePerProducer: command.ratePerProducer * entry.rateMultiplier,
        batchSize: command.batchSize, batchingWindowSeconds: command.batchingWindowSeconds, anomalyRate: command.anomalyRate,
        warmupSeconds: command.warmupSeconds, drainTimeoutSeconds: command.drainTimeoutSeconds, seed: 42 + trial - 1,
      };
      plan.push({ entry, trial, spec });
    }
  }
  const problems = plan.flatMap((item) => refusals(item.spec).map((problem) => `${item.entry.name}: ${problem}`));
  if (problems.length > 0) throw new ExperimentRefusedError([...new Set(problems)]);
  return plan;
}

export function newSuiteId(now = new Date()): string {
  return `suite-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, '').replace('T', '-')}`;
}

export async function runSuite(suiteId: string, plan: readonly SuitePlanItem[], cooldownSeconds: number, ctx: SuiteContext): Promise<SuiteOutcome> {
  const { pool } = ctx.services;
  const run = ctx.run ?? runExperiment;
  const earlier = await listExperiments(pool, { suiteId, limit: 100_000 });
  checkResumable(suiteId, plan, earlier);
  for (const stale of earlier.filter((e) => e.status === 'running')) {
    await finishExperiment(pool, stale.id, 'failed', 'abandoned: its process ended without finishing it (found running when the suite was resumed)');
    ctx.note?.(`marked ${stale.id} failed: it was left running by an earlier process`);
  }
  const completed: string[] = [];
  const skipped: string[] = [];
  const failed: Array<{ id: string; reason: string }> = [];
  let ranBefore = false;
  for (const [index, item] of plan.entries()) {
    if (ctx.signal.aborted) return { suiteId, completed, skipped, failed, interrupted: true };
    const baseId = `${suiteId}.${item.entry.name}.t${item.trial}`;
    const attempts = earlier.filter((e) => e.id === baseId || e.id.startsWith(`${baseId}.a`));
    const done = attempts.find((e) => e.status === 'completed');
    if (done !== undefined) {
      skipped.push(done.id);
      continue;
    }
    if (ranBefore && cooldownSeconds > 0) {
      ctx.onProgress?.(`${suiteBar(index, plan.length)} cool-down ${cooldownSeconds}s`);
      await sleepUnlessAborted(cooldownSeconds * 1000, ctx.signal);
      if (ctx.signal.aborted) return { suiteId, completed, skipped, failed, interrupted: true };
    }
    ranBefore = true;
    const id = attempts.length === 0 ? baseId : `${baseId}.a${attempts.length + 1}`;
    try {
      await run(item.spec, {
        services: ctx.services,
        signal: ctx.signal,
        experimentId: id,
        suite: { suiteId, trial: item.trial, group: item.entry.group },
        onProgress: (progress) => ctx.onProgress?.(`${suiteBar(index, plan.length)} ${item.entry.name} t${item.trial} | ${runLine(progress)}`),
      });
      completed.push(id);
    } catch (error) {
      if (error instanceof ExperimentInterruptedError) return { suiteId, completed, skipped, failed: [...failed, { id, reason: error.message }], interrupted: true };
      failed.push({ id, reason: (error as Error).message });
      ctx.note?.(`${id} failed: ${(error as Error).message}`);
    }
  }
  return { suiteId, completed, skipped, failed, interrupted: false };
}

function suiteBar(index: number, total: number): string {
  return `suite ${index + 1}/${total} ${bar(index / total, 16)}`;
}

/**
 * A resumed suite must ask for what its completed runs measured (those are kept), otherwise its
 * trials would not compare. Failed or abandoned runs are run again, so their settings do not matter.
 */
function checkResumable(suiteId: string, plan: readonly SuitePlanItem[], earlier: readonly Experiment[]): void {
  const mismatches: string[] = [];
  for (const run of earlier.filter((e) => e.status === 'completed')) {
    const planned = plan.find((item) => item.entry.name === run.name);
    if (planned === undefined) continue;
    const settings = (run.settings ?? {}) as Record<string, unknown>;
    for (const key of comparedSettings) {
      if (key === 'seed') continue; // the seed follows the trial number
      if (settings[key] !== planned.spec[key]) mismatches.push(`${run.name} ${key} was ${String(settings[key])}, now ${String(planned.spec[key])}`);
    }
  }
  if (mismatches.length > 0) {
    throw new ExperimentUsageError(`suite ${suiteId} was run with other settings (${[...new Set(mismatches)].slice(0, 5).join('; ')}); resume it with the same arguments or start a new suite`);
  }
}
