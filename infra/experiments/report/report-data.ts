/** What the report shows, read from PostgreSQL: the chosen runs and their lag per partition over time. */
import type pg from 'pg';
import { listExperiments, type Experiment } from '../../../functions/shared/db/index.js';
import { ExperimentUsageError } from '../errors.js';

export interface LagSeries {
  readonly experimentId: string;
  /** partition → [seconds since the first sample, lag]. */
  readonly partitions: ReadonlyMap<number, ReadonlyArray<readonly [number, number]>>;
}

export interface ReportData {
  readonly runs: readonly Experiment[];
  readonly lag: readonly LagSeries[];
  /** What was asked for: "experiments a, b", "suite s", or "the latest suite". */
  readonly scope: string;
}

/** Lag charts are drawn for at most this many runs (the first trial of each configuration first). */
export const maxLagCharts = 24;
const maxPointsPerPartition = 400;

export async function loadReportData(pool: pg.Pool, selection: { ids: readonly string[]; suiteId: string | null }): Promise<ReportData> {
  let runs: Experiment[];
  let scope: string;
  if (selection.ids.length > 0) {
    runs = await listExperiments(pool, { ids: selection.ids });
    const missing = selection.ids.filter((id) => !runs.some((run) => run.id === id));
    if (missing.length > 0) throw new ExperimentUsageError(`no experiment with id ${missing.slice(0, 5).map((id) => JSON.stringify(id.slice(0, 80))).join(', ')}`);
    scope = `experiments ${selection.ids.join(', ')}`;
  } else if (selection.suiteId !== null) {
    runs = await listExperiments(pool, { suiteId: selection.suiteId, limit: 100_000 });
    if (runs.length === 0) throw new ExperimentUsageError(`suite ${JSON.stringify(selection.suiteId)} has no experiments`);
    scope = `suite ${selection.suiteId}`;
  } else {
    const latest = await pool.query<{ suite_id: string }>('SELECT suite_id FROM experiments WHERE suite_id IS NOT NULL ORDER BY started_at DESC LIMIT 1');
    const suiteId = latest.rows[0]?.suite_id;
    runs = suiteId === undefined ? await listExperiments(pool, { limit: 20 }) : await listExperiments(pool, { suiteId, limit: 100_000 });
    if (runs.length === 0) throw new ExperimentUsageError('there are no experiments yet: run `npm run experiment` or `npm run experiments:batch` first');
    scope = suiteId === undefined ? 'the 20 latest experiments' : `the latest suite, ${suiteId}`;
  }
  const charted = pickLagRuns(runs);
  const lag = await Promise.all(charted.map((run) => loadLag(pool, run.id)));
  return { runs, lag, scope };
}

/** Completed runs, first trials first, at most maxLagCharts. */
function pickLagRuns(runs: readonly Experiment[]): Experiment[] {
  const completed = runs.filter((run) => run.status === 'completed').sort((a, b) => (a.trial ?? 1) - (b.trial ?? 1) || a.startedAt.localeCompare(b.startedAt));
  return completed.slice(0, maxLagCharts).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

async function loadLag(pool: pg.Pool, experimentId: string): Promise<LagSeries> {
  const result = await pool.query<{ partition: number; t: Date; lag: string }>(
    'SELECT partition, "timestamp" AS t, lag FROM consumer_lag WHERE experiment_id = $1 ORDER BY "timestamp", partition',
    [experimentId],
  );
  const firstMs = result.rows[0]?.t.getTime() ?? 0;
  const partitions = new Map<number, Array<readonly [number, number]>>();
  for (const row of result.rows) {
    const points = partitions.get(row.partition) ?? [];
    points.push([(row.t.getTime() - firstMs) / 1000, Number(row.lag)]);
    partitions.set(row.partition, points);
  }
  for (const [partition, points] of partitions) {
    if (points.length > maxPointsPerPartition) {
      const step = Math.ceil(points.length / maxPointsPerPartition);
      partitions.set(partition, points.filter((_, i) => i % step === 0 || i === points.length - 1));
    }
  }
  return { experimentId, partitions };
}
