/**
 * What one experiment asks for: the concurrency settings (producers, consumers = pollers of the
 * detector's event-source mapping, partitions, batch size, batching window) and the load. Units
 * are in the names. `refusals` lists why a spec cannot give a meaningful measurement.
 */
import { maxProducerRate } from '../../functions/producer/producer-event.js';

export interface ExperimentSpec {
  /** Label for tables and reports: 1–40 of letters, digits, "." "_" "-". */
  readonly name: string;
  /** Concurrent producer invocations. */
  readonly producers: number;
  /** Pollers of the detector's mapping = most concurrent detector invocations (capped at partitions). */
  readonly consumers: number;
  /** Partitions of the experiment's own topic. */
  readonly partitions: number;
  /** Measured phase, after the warm-up. */
  readonly durationSeconds: number;
  /** Records/s each producer sends (the seed's log_rate). */
  readonly ratePerProducer: number;
  /** Mapping batch size (records per invocation, at most). */
  readonly batchSize: number;
  /** Mapping batching window. */
  readonly batchingWindowSeconds: number;
  /** Share of generated records that are labelled anomalies. */
  readonly anomalyRate: number;
  /** Producers already run, consumers already poll; nothing produced in it is measured. */
  readonly warmupSeconds: number;
  /** After the producers stop: longest wait for the consumer lag to reach 0. */
  readonly drainTimeoutSeconds: number;
  /** Seeds the generated streams (each producer mixes in its own id). */
  readonly seed: number;
}

/** The seed's defaults (10 minutes, 1.0 record/s per producer) and AWS's mapping defaults. */
export const specDefaults = Object.freeze({
  durationSeconds: 600,
  ratePerProducer: 1.0,
  batchSize: 100,
  batchingWindowSeconds: 0.5,
  anomalyRate: 0.05,
  warmupSeconds: 0,
  drainTimeoutSeconds: 60,
  seed: 42,
});

export const specLimits = Object.freeze({
  maxProducers: 500,
  /** The mapping's poller ceiling. */
  maxConsumers: 1000,
  maxPartitions: 1000,
  maxDurationSeconds: 24 * 3600,
  maxTotalRate: 100_000,
  maxBatchSize: 10_000,
  maxBatchingWindowSeconds: 300,
  maxWarmupSeconds: 3600,
  maxDrainTimeoutSeconds: 3600,
});

export const namePattern = /^[A-Za-z0-9._-]{1,40}$/;

/** Pollers that get no partition: the group has more members than the topic has partitions. */
export function idlePollers(spec: Pick<ExperimentSpec, 'consumers' | 'partitions'>): number {
  return Math.max(0, spec.consumers - spec.partitions);
}

/** Every reason the spec cannot work (empty: it can run). */
export function refusals(spec: ExperimentSpec): string[] {
  const problems: string[] = [];
  const wholeIn = (value: number, min: number, max: number) => Number.isInteger(value) && value >= min && value <= max;
  if (!namePattern.test(spec.name)) problems.push('name must be 1-40 of letters, digits, ".", "_" and "-"');
  if (!wholeIn(spec.producers, 1, specLimits.maxProducers)) problems.push(`producers must be a whole number from 1 to ${specLimits.maxProducers} (with 0 nothing is produced)`);
  if (!wholeIn(spec.consumers, 1, specLimits.maxConsumers)) problems.push(`consumers must be a whole number from 1 to ${specLimits.maxConsumers} (with 0 nothing is consumed and the lag never drains)`);
  if (!wholeIn(spec.partitions, 1, specLimits.maxPartitions)) problems.push(`partitions must be a whole number from 1 to ${specLimits.maxPartitions}`);
  if (!(spec.durationSeconds >= 1 && spec.durationSeconds <= specLimits.maxDurationSeconds)) problems.push('duration must be from 1 second to 24 hours');
  if (!(spec.ratePerProducer > 0 && spec.ratePerProducer <= maxProducerRate)) problems.push(`log rate must be above 0 and at most ${maxProducerRate} records/s per producer`);
  else if (spec.producers * spec.ratePerProducer > specLimits.maxTotalRate) problems.push(`producers × log rate is ${spec.producers * spec.ratePerProducer} records/s; at most ${specLimits.maxTotalRate} in total`);
  else if (spec.producers * spec.ratePerProducer * spec.durationSeconds < 1) problems.push('producers × log rate × duration is under one record: nothing would be measured');
  if (!wholeIn(spec.batchSize, 1, specLimits.maxBatchSize)) problems.push(`batch size must be a whole number from 1 to ${specLimits.maxBatchSize} (AWS's limit)`);
  if (!(spec.batchingWindowSeconds >= 0 && spec.batchingWindowSeconds <= specLimits.maxBatchingWindowSeconds)) problems.push('batching window must be from 0 to 300 seconds (AWS\'s limit)');
  if (!(spec.anomalyRate >= 0 && spec.anomalyRate <= 1)) problems.push('anomaly rate must be from 0 to 1');
  if (!(spec.warmupSeconds >= 0 && spec.warmupSeconds <= specLimits.maxWarmupSeconds)) problems.push('warm-up must be from 0 to 1 hour');
  if (!(spec.drainTimeoutSeconds >= 1 && spec.drainTimeoutSeconds <= specLimits.maxDrainTimeoutSeconds)) problems.push('drain timeout must be from 1 second to 1 hour');
  if (!wholeIn(spec.seed, 0, 2 ** 32 - 1)) problems.push('seed must be a whole number from 0 to 4294967295');
  return problems;
}
