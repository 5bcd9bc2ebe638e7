import { insertPerformanceMetrics, type Db } from '../shared/db/index.js';
import { ValidationError } from '../shared/errors.js';
import { metricRecordSchema, type ComponentType } from '../shared/metrics/index.js';

export interface DirectMetric {
  readonly experimentId: string | null;
  /** Default "custom". */
  readonly componentType?: ComponentType;
  readonly componentId: string;
  readonly name: string;
  readonly value: number;
  readonly unit?: string;
  /**
   * 1–200 characters chosen by the caller; the same key and name are stored once, so a retried
   * call adds nothing (e.g. `${runId}:${step}`).
   */
  readonly idempotencyKey: string;
  /** When the value was measured; default now. */
  readonly timestamp?: Date;
}

/**
 * Writes one custom metric straight to performance_metrics, for code that runs next to the
 * database (scripts, the aggregator itself). Everything else should use MetricsEmitter.recordMetric,
 * which goes through the metrics topic. The metric obeys the metric-record rules (name, unit, ids,
 * finite value); a violation throws ValidationError naming the field. Returns whether a row was added
 * (false: this idempotency key and name were already stored).
 */
export async function recordMetricDirect(db: Db, metric: DirectMetric): Promise<{ stored: boolean }> {
  const timestamp = metric.timestamp ?? new Date();
  if (!(timestamp instanceof Date) || Number.isNaN(timestamp.getTime())) throw new ValidationError('direct metric timestamp must be a valid Date');
  const checked = metricRecordSchema.safeParse({
    experimentId: metric.experimentId,
    componentType: metric.componentType ?? 'custom',
    componentId: metric.componentId,
    metrics: [metric.unit === undefined ? { name: metric.name, value: metric.value } : { name: metric.name, value: metric.value, unit: metric.unit }],
    ts: timestamp.toISOString(),
  });
  if (!checked.success) {
    const reasons = checked.error.issues.slice(0, 5).map((issue) => `${issue.path.map(String).join('.').replace(/^metrics\.0\./, '') || 'metric'} ${issue.message}`);
    throw new ValidationError(`direct metric is invalid: ${reasons.join('; ')}`);
  }
  const record = checked.data;
  const only = record.metrics[0]!;
  const counts = await insertPerformanceMetrics(db, [
    {
      experimentId: record.experimentId,
      componentType: record.componentType,
      componentId: record.componentId,
      metricName: only.name,
      metricValue: only.value,
      unit: only.unit ?? null,
      timestamp,
      source: { idempotencyKey: metric.idempotencyKey },
    },
  ]);
  return { stored: counts.inserted === 1 };
}
