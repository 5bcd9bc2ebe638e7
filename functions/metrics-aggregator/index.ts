/** The metrics aggregator: MSK events from the metrics topic → performance_metrics, dead_letters, consumer_lag. */
export { handler, closeMetricsAggregator } from './handler.js';
export {
  createMetricsAggregator,
  type LagSampling,
  type MetricsAggregator,
  type MetricsAggregatorDependencies,
  type MetricsAggregatorSummary,
} from './create-metrics-aggregator.js';
export { loadMetricsAggregatorConfig, type MetricsAggregatorConfig } from './aggregator-config.js';
export { recordMetricDirect, type DirectMetric } from './record-metric-direct.js';
export { decodeMetricBatch, type DecodedMetricBatch, type SkippedRecord } from './batch/decode-metric-batch.js';
export { aggregatorComponent, maxDeadLetterBytes } from './batch/dead-letter-record.js';
export { readConsumerLag, type ConsumerLagReading, type LagAdmin, type LagReport, type LagTarget } from './lag/read-consumer-lag.js';
export { partitionLag, type PartitionLag, type PartitionLog } from './lag/partition-lag.js';
export { onDemandAdmin, type OnDemandAdmin } from './lag/on-demand-admin.js';
export type { LogLine, LogSink } from './batch-log.js';
