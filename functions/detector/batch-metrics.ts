import { summarizeLatencies, type MetricsEmitter } from '../shared/metrics/index.js';

/** What one batch did, measured between the handler's start and the commit of its transaction. */
export interface BatchMeasurements {
  /** Records in the event. */
  readonly records: number;
  /** Log rows this batch inserted. */
  readonly stored: number;
  /** Records already stored by an earlier delivery (logs and dead letters). */
  readonly duplicates: number;
  /** Dead letters this batch inserted (offsetReused included). */
  readonly deadLetters: number;
  /** Of those, records whose coordinates already held a different stored record ("offset reused"). */
  readonly offsetReused: number;
  /** Records that named no storable coordinates. */
  readonly unaddressable: number;
  /** Valid log records scored by a model (0 while there is none). */
  readonly scored: number;
  /** Of those, flagged as anomalies. */
  readonly flagged: number;
  /** From the handler's start to the commit, ms. */
  readonly elapsedMs: number;
  /** Per record with a Kafka timestamp: commit time − produce time, ms (clamped at 0 against clock skew). */
  readonly endToEndLatenciesMs: readonly number[];
}

/**
 * Queues the detector's consumer metrics for one batch:
 * batch_size, records_stored, duplicates_skipped, dead_letters, offset_reused (of the dead letters,
 * those for coordinates already holding a different record), unaddressable_records (records),
 * throughput (records/s over start → commit), processing_time_ms (ms), anomalies_detected (records),
 * anomaly_rate (flagged / scored, 0 when nothing was scored), and e2e_latency_p50/p95/p99/max (ms,
 * only when some record carried a timestamp).
 */
export function recordBatchMetrics(emitter: Pick<MetricsEmitter, 'recordMetric'>, batch: BatchMeasurements): void {
  const seconds = Math.max(batch.elapsedMs, 1) / 1000;
  emitter.recordMetric('batch_size', batch.records, 'records');
  emitter.recordMetric('records_stored', batch.stored, 'records');
  emitter.recordMetric('duplicates_skipped', batch.duplicates, 'records');
  emitter.recordMetric('dead_letters', batch.deadLetters, 'records');
  emitter.recordMetric('offset_reused', batch.offsetReused, 'records');
  emitter.recordMetric('unaddressable_records', batch.unaddressable, 'records');
  emitter.recordMetric('throughput', batch.records / seconds, 'records/s');
  emitter.recordMetric('processing_time_ms', batch.elapsedMs, 'ms');
  emitter.recordMetric('anomalies_detected', batch.flagged, 'records');
  emitter.recordMetric('anomaly_rate', batch.scored === 0 ? 0 : batch.flagged / batch.scored, 'ratio');
  const latency = summarizeLatencies(batch.endToEndLatenciesMs);
  if (latency !== null) {
    emitter.recordMetric('e2e_latency_p50', latency.p50, 'ms');
    emitter.recordMetric('e2e_latency_p95', latency.p95, 'ms');
    emitter.recordMetric('e2e_latency_p99', latency.p99, 'ms');
    emitter.recordMetric('e2e_latency_max', latency.max, 'ms');
  }
}
