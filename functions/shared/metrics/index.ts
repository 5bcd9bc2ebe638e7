export {
  componentTypes,
  metricLimits,
  metricRecordSchema,
  metricSchema,
  type ComponentType,
  type Metric,
  type MetricRecord,
} from './metric-record.js';
export { parseMetricRecord } from './parse-metric-record.js';
export { MetricsEmitter, droppedMetricName, type MetricsEmitterOptions } from './metrics-emitter.js';
export { percentile, summarizeLatencies, type LatencySummary } from './percentiles.js';
