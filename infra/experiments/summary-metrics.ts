import type pg from 'pg';
import { insertPerformanceMetrics, type NewPerformanceMetric } from '../../functions/shared/db/index.js';
import type { ExperimentSummary } from './experiment-summary.js';

/**
 * The summary's headline figures as performance_metrics rows (component "experiment"), so tools
 * that read metrics (the dashboard) see them. Keyed by `experiment-summary:<id>`: writing them
 * again adds nothing. Figures that were not measured (null) are left out.
 */
export async function storeSummaryMetrics(pool: pg.Pool, experimentId: string, summary: ExperimentSummary): Promise<void> {
  const { producers, consumers, lag, detection } = summary;
  const figures: Array<[string, number | null | undefined, string | null]> = [
    ['producer_throughput', producers.throughput, 'records/s'],
    ['records_sent', producers.sent, 'records'],
    ['delivery_success_rate', producers.deliverySuccessRate, 'ratio'],
    ['send_latency_p50', producers.sendLatencyMs?.p50, 'ms'],
    ['send_latency_p95', producers.sendLatencyMs?.p95, 'ms'],
    ['send_latency_p99', producers.sendLatencyMs?.p99, 'ms'],
    ['consumer_throughput', consumers.throughput, 'records/s'],
    ['records_stored', consumers.stored, 'records'],
    ['e2e_latency_p50', consumers.e2eLatencyMs?.p50, 'ms'],
    ['e2e_latency_p95', consumers.e2eLatencyMs?.p95, 'ms'],
    ['e2e_latency_p99', consumers.e2eLatencyMs?.p99, 'ms'],
    ['e2e_latency_max', consumers.e2eLatencyMs?.max, 'ms'],
    ['anomaly_rate', consumers.anomalyRate, 'ratio'],
    ['max_lag', lag.maxTotal, 'records'],
    ['precision', detection.precision, 'ratio'],
    ['recall', detection.recall, 'ratio'],
    ['f1', detection.f1, 'ratio'],
  ];
  const timestamp = summary.window.drainedAt ?? summary.window.producersStoppedAt;
  const rows: NewPerformanceMetric[] = figures
    .filter((figure): figure is [string, number, string | null] => typeof figure[1] === 'number' && Number.isFinite(figure[1]))
    .map(([metricName, metricValue, unit]) => ({
      experimentId, componentType: 'experiment', componentId: 'runner', metricName, metricValue, unit, timestamp,
      source: { idempotencyKey: `experiment-summary:${experimentId}` },
    }));
  await insertPerformanceMetrics(pool, rows);
}
