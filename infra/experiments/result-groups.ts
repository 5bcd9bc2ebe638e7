/**
 * Completed runs grouped by configuration (trials of the same settings together), with each
 * headline figure as mean, sample standard deviation, min and max across the trials. Runs
 * without a summary (failed, running) are counted but contribute no figures.
 */
import type { Experiment } from '../../functions/shared/db/index.js';
import type { ExperimentSummary } from './experiment-summary.js';

export interface Stat {
  readonly mean: number;
  /** Sample standard deviation; 0 for one trial. */
  readonly sd: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
}

export interface ConfigGroup {
  readonly key: string;
  readonly name: string;
  /** Suite group (baseline, producer-scaling, ...) or null for single runs. */
  readonly group: string | null;
  readonly producers: number;
  readonly consumers: number;
  readonly partitions: number;
  readonly ratePerProducer: number;
  readonly batchSize: number;
  readonly batchingWindowSeconds: number;
  readonly durationSeconds: number;
  readonly runs: readonly Experiment[];
  readonly summaries: readonly ExperimentSummary[];
  readonly failed: number;
  readonly idlePollers: number;
  readonly figures: Record<FigureName, Stat | null>;
}

export const figureNames = ['producerThroughput', 'consumerThroughput', 'e2eP50', 'e2eP95', 'e2eP99', 'e2eMax', 'e2eMean', 'maxLag', 'precision', 'recall', 'f1', 'runnerCpuPercent', 'postgresCpuPercent'] as const;
export type FigureName = (typeof figureNames)[number];

const pick: Record<FigureName, (s: ExperimentSummary) => number | null | undefined> = {
  producerThroughput: (s) => s.producers.throughput,
  consumerThroughput: (s) => s.consumers.throughput,
  e2eP50: (s) => s.consumers.e2eLatencyMs?.p50,
  e2eP95: (s) => s.consumers.e2eLatencyMs?.p95,
  e2eP99: (s) => s.consumers.e2eLatencyMs?.p99,
  e2eMax: (s) => s.consumers.e2eLatencyMs?.max,
  e2eMean: (s) => s.consumers.e2eLatencyMs?.mean,
  maxLag: (s) => s.lag.maxTotal,
  precision: (s) => s.detection.precision,
  recall: (s) => s.detection.recall,
  f1: (s) => s.detection.f1,
  runnerCpuPercent: (s) => s.resources.runnerProcess.cpuPercentOfOneCore,
  postgresCpuPercent: (s) => ('cpuPercentOfOneCore' in s.resources.postgres ? s.resources.postgres.cpuPercentOfOneCore : null),
};

/** A run's summary when it completed with one of this schema, else null. */
export function summaryOf(run: Experiment): ExperimentSummary | null {
  const summary = run.summary as Partial<ExperimentSummary> | null;
  return run.status === 'completed' && summary !== null && typeof summary === 'object' && summary.schema === 1 ? (summary as ExperimentSummary) : null;
}

export function stat(values: readonly number[]): Stat | null {
  if (values.length === 0) return null;
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  const variance = values.length < 2 ? 0 : values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length - 1);
  return { mean, sd: Math.sqrt(variance), min: Math.min(...values), max: Math.max(...values), n: values.length };
}

/** Groups runs by name and settings, in the order their first run appears (oldest first). */
export function groupRuns(runs: readonly Experiment[]): ConfigGroup[] {
  const byKey = new Map<string, Experiment[]>();
  for (const run of [...runs].sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id))) {
    const key = configKey(run);
    byKey.set(key, [...(byKey.get(key) ?? []), run]);
  }
  return [...byKey.entries()].map(([key, members]) => {
    const first = members[0]!;
    const settings = (first.settings ?? {}) as Record<string, unknown>;
    const summaries = members.map(summaryOf).filter((s): s is ExperimentSummary => s !== null);
    const figures = Object.fromEntries(
      figureNames.map((name) => [name, stat(summaries.map(pick[name]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v)))]),
    ) as Record<FigureName, Stat | null>;
    return {
      key,
      name: first.name,
      group: typeof settings['group'] === 'string' ? settings['group'] : null,
      producers: first.producers,
      consumers: first.consumers,
      partitions: first.partitions,
      ratePerProducer: numberOr(settings['ratePerProducer'], 0),
      batchSize: numberOr(settings['batchSize'], 0),
      batchingWindowSeconds: numberOr(settings['batchingWindowSeconds'], 0),
      durationSeconds: numberOr(settings['durationSeconds'], 0),
      runs: members,
      summaries,
      failed: members.filter((run) => run.status === 'failed').length,
      idlePollers: Math.max(0, first.consumers - first.partitions),
      figures,
    };
  });
}

function configKey(run: Experiment): string {
  const s = (run.settings ?? {}) as Record<string, unknown>;
  return JSON.stringify([run.name, run.producers, run.consumers, run.partitions, s['ratePerProducer'], s['batchSize'], s['batchingWindowSeconds'], s['durationSeconds'], s['anomalyRate']]);
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
