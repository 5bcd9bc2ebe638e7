import type { NewPerformanceMetric } from '../../shared/db/index.js';
import type { MetricRecord } from '../../shared/metrics/index.js';
import type { StorableCoordinates } from '../../shared/dead-letters/kafka-record-dead-letter.js';

/** The latest instant a timestamptz row of this pipeline accepts: 9999-12-31T23:59:59.999Z. */
export const maxStorableTimeMs = Date.parse('9999-12-31T23:59:59.999Z');
/** The earliest: 0001-01-01T00:00:00.000Z. */
export const minStorableTimeMs = Date.parse('0001-01-01T00:00:00.000Z');

/** True for ms since the epoch that the repositories store (years 1–9999). */
export function isStorableTime(ms: number): boolean {
  return Number.isFinite(ms) && ms >= minStorableTimeMs && ms <= maxStorableTimeMs;
}

/**
 * Why a schema-valid metric record still cannot be stored, or null when it can:
 * - its ts (an ISO date-time, possibly with an offset) must fall in years 1–9999 UTC;
 * - each metric name may appear once: one Kafka record holds one row per name
 *   (the rows' identity is topic, partition, offset and metric name).
 */
export function unstorableReason(record: MetricRecord): string | null {
  if (!isStorableTime(Date.parse(record.ts))) return 'metric record is invalid: ts is not a date-time between the years 1 and 9999 UTC';
  const counts = new Map<string, number>();
  for (const metric of record.metrics) counts.set(metric.name, (counts.get(metric.name) ?? 0) + 1);
  const repeated = [...counts].filter(([, count]) => count > 1);
  if (repeated.length === 0) return null;
  const [name, count] = repeated[0]!;
  const more = repeated.length > 1 ? ` (and ${repeated.length - 1} more names)` : '';
  return `metric record is invalid: metric name ${JSON.stringify(name)} appears ${count} times${more}; each name may appear once per record`;
}

/** One performance_metrics row per metric, identified by the Kafka record it came from. */
export function metricRows(record: MetricRecord, source: StorableCoordinates): NewPerformanceMetric[] {
  const timestamp = new Date(Date.parse(record.ts));
  return record.metrics.map((metric) => ({
    experimentId: record.experimentId,
    componentType: record.componentType,
    componentId: record.componentId,
    metricName: metric.name,
    metricValue: metric.value,
    unit: metric.unit ?? null,
    timestamp,
    source,
  }));
}
