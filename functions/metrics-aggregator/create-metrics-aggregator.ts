import { insertConsumerLag, insertDeadLetters, insertPerformanceMetrics, type Db } from '../shared/db/index.js';
import { parseKafkaEvent } from '../shared/kafka/index.js';
import { decodeMetricBatch } from './batch/decode-metric-batch.js';
import { describeError, printLine, problemSamples, type LogSink } from './batch-log.js';
import { readConsumerLag, type LagAdmin, type LagTarget } from './lag/read-consumer-lag.js';

export interface LagSampling extends LagTarget {
  readonly admin: LagAdmin;
}

export interface MetricsAggregatorDependencies {
  readonly db: Db;
  /** null: no consumer-lag sampling. */
  readonly lag: LagSampling | null;
  /** EXPERIMENT_ID: the lag samples' experiment when no metric record of the batch names one. */
  readonly experimentId: string | null;
  /** Receives one line per batch; default prints JSON with console.log. */
  readonly log?: LogSink;
}

export interface MetricsAggregatorSummary {
  /** Records in the event. */
  readonly records: number;
  /** performance_metrics rows added. */
  readonly metricsStored: number;
  /** Metric rows that were already stored (a redelivered batch). */
  readonly duplicates: number;
  /** Records refused (decoding or validation) and kept in dead_letters; a redelivered one is stored once. */
  readonly deadLetters: number;
  /** consumer_lag rows added. */
  readonly lagSamples: number;
  /** Lag rows already stored for this batch's sample time (a redelivered batch). */
  readonly lagDuplicates: number;
  /** Records stored nowhere: unknown coordinates, or repeated within the batch (named in the log line). */
  readonly skipped: number;
}

export interface MetricsAggregator {
  /** Stores one MSK event's metric records, dead letters and one lag sample; see createMetricsAggregator. */
  handle(event: unknown, invocation?: { readonly requestId?: string }): Promise<MetricsAggregatorSummary>;
}

/**
 * The metrics aggregator's work for one batch, in this order:
 * 1. parse the event (a malformed event as a whole → ValidationError) and sort records into
 *    metric rows, dead letters and skipped records (decodeMetricBatch);
 * 2. store the metric rows, then the dead letters (each idempotent on Kafka coordinates);
 * 3. sample consumer lag once and store it, stamped with the batch's newest record timestamp, so
 *    a redelivery writes the same (consumer_id, topic, partition, timestamp) keys.
 * Failure policy: "metrics first". Any database or admin failure throws (InfrastructureError) so
 * the batch is redelivered; every step is idempotent, so whatever a failed attempt stored is
 * completed, never duplicated, by the redelivery. Metrics are stored before the admin API is asked,
 * so an unreachable admin API delays lag samples but never metrics. A sample stored on a
 * redelivery carries the batch's timestamp but the offsets read at that later moment.
 */
export function createMetricsAggregator(deps: MetricsAggregatorDependencies): MetricsAggregator {
  const log = deps.log ?? printLine;

  return {
    async handle(event, invocation = {}) {
      const base = { level: 'INFO', message: 'metrics batch', component: 'metrics-aggregator', requestId: invocation.requestId ?? null };
      let stage = 'parse';
      let stored = { metricsStored: 0, duplicates: 0, deadLetters: 0, lagSamples: 0, lagDuplicates: 0 };
      try {
        const parsed = parseKafkaEvent(event);
        const batch = decodeMetricBatch(parsed.records);

        stage = 'store-metrics';
        const metrics = await insertPerformanceMetrics(deps.db, batch.metrics);
        stored = { ...stored, metricsStored: metrics.inserted, duplicates: metrics.alreadyPresent };
        stage = 'store-dead-letters';
        await insertDeadLetters(deps.db, batch.deadLetters);
        stored = { ...stored, deadLetters: batch.deadLetters.length };

        let lagNote: Record<string, unknown> = { lag: 'off' };
        if (deps.lag !== null && batch.newestTimestampMs === null) lagNote = { lag: 'skipped: no record of the batch has a timestamp' };
        if (deps.lag !== null && batch.newestTimestampMs !== null) {
          stage = 'read-lag';
          const report = await readConsumerLag(deps.lag.admin, deps.lag);
          const timestamp = new Date(batch.newestTimestampMs);
          const experimentId = batch.newestExperimentId ?? deps.experimentId;
          stage = 'store-lag';
          const lag = await insertConsumerLag(
            deps.db,
            report.readings.map((reading) => ({
              experimentId,
              consumerId: reading.groupId,
              topic: reading.topic,
              partition: reading.partition,
              currentOffset: reading.currentOffset,
              logEndOffset: reading.logEndOffset,
              lag: reading.lag,
              timestamp,
            })),
          );
          stored = { ...stored, lagSamples: lag.inserted, lagDuplicates: lag.alreadyPresent };
          lagNote = {
            lagTimestamp: timestamp.toISOString(),
            lagGroups: new Set(report.readings.map((reading) => reading.groupId)).size,
            ...(report.missingTopics.length > 0 ? { lagTopicsMissing: report.missingTopics } : {}),
            ...(report.groupsLeftOut > 0 ? { lagGroupsLeftOut: report.groupsLeftOut } : {}),
          };
        }

        const summary: MetricsAggregatorSummary = { records: parsed.records.length, ...stored, skipped: batch.skipped.length };
        const problems = problemSamples(batch.deadLetters, batch.skipped);
        log({ ...base, ...summary, ...lagNote, ...(problems.length > 0 ? { problems } : {}) });
        return summary;
      } catch (error) {
        log({ ...base, level: 'ERROR', message: 'metrics batch failed', stage, storedBeforeFailure: stored, error: describeError(error) });
        throw error;
      }
    },
  };
}
