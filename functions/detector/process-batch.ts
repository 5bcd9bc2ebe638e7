import type pg from 'pg';
import { storeDetectorBatch, type NewAnomaly } from '../shared/db/index.js';
import type { ParsedKafkaEvent } from '../shared/kafka/index.js';
import type { MetricsEmitter } from '../shared/metrics/index.js';
import type { ModelManager, TrainOutcome } from '../shared/model/model-manager.js';
import type { RecordScore } from '../shared/model/record-scoring.js';
import { toNewAnomaly } from './anomaly-mapping.js';
import { recordBatchMetrics } from './batch-metrics.js';
import { describeError, type DetectorLogger } from './detector-logger.js';
import { mapRecord, type DeadLetterRecord, type ScorableLog, type UnaddressableRecord } from './map-record.js';
import { registerTrainedModel } from './training-ports.js';

/**
 * What the handler returns for one batch. Every record of the event is counted exactly once:
 * records = stored + duplicates + deadLetters + (unaddressable ?? 0).
 */
export interface DetectorSummary {
  /** Records in the event. */
  readonly records: number;
  /** Log rows inserted by this batch. */
  readonly stored: number;
  /** Records (logs or dead letters) already stored by an earlier delivery: nothing added for them. */
  readonly duplicates: number;
  /** Anomaly rows inserted by this batch. */
  readonly anomalies: number;
  /** Dead letters inserted by this batch. */
  readonly deadLetters: number;
  /** The model version that scored the batch; null when there was no model (records stored unflagged). */
  readonly modelVersion: string | null;
  /** Records that named no storable Kafka coordinates (reported in the log line); absent when none. */
  readonly unaddressable?: number;
  /** The version this invocation trained and published after storing the batch; absent otherwise. */
  readonly trained?: string;
}

/** Milliseconds since the Unix epoch. */
export interface DetectorClock {
  now(): number;
}

/** What one batch needs; all of it lives as long as the warm container. */
export interface BatchDependencies {
  readonly db: pg.Pool;
  readonly models: Pick<ModelManager, 'scoreRecords' | 'maybeTrain' | 'current'>;
  /** The S3 key of a version's artifact, recorded in the models table. */
  artifactKey(version: string): string;
  /** Consumer metrics go here; null disables them. */
  readonly emitter: Pick<MetricsEmitter, 'recordMetric' | 'flush'> | null;
  readonly clock: DetectorClock;
  readonly logger: DetectorLogger;
}

/**
 * One batch, in order: map every record (valid log, dead letter, or unaddressable) → store logs,
 * anomalies and dead letters in ONE transaction (idempotent by Kafka coordinates), scoring the valid
 * logs with the current model (none yet: stored unflagged) while PostgreSQL inserts them, the
 * anomalies then joining the transaction → consumer metrics (best effort) →
 * maybe train (failures logged: the records are safe) → one structured log line.
 * Throws (so the batch is redelivered) only when scoring or storing fails — S3 unreachable with no
 * model in hand, PostgreSQL down — and then nothing of the batch has been written.
 */
export async function processBatch(event: ParsedKafkaEvent, deps: BatchDependencies, startedAt: number): Promise<DetectorSummary> {
  const phaseStart = performance.now();
  const logs: ScorableLog[] = [];
  const deadLetters: DeadLetterRecord[] = [];
  const unaddressable: UnaddressableRecord[] = [];
  for (const record of event.records) {
    const mapped = mapRecord(record);
    if (mapped.kind === 'log') logs.push(mapped);
    else if (mapped.kind === 'dead-letter') deadLetters.push(mapped);
    else unaddressable.push(mapped);
  }

  const mapped = performance.now();
  // Scoring runs while PostgreSQL inserts the logs (storeDetectorBatch calls it once the INSERT is
  // sent); its anomalies join the same transaction.
  let scores: RecordScore[] | null = null;
  let scoreMs = 0;
  const anomalies: NewAnomaly[] = [];
  const result = await storeDetectorBatch(deps.db, {
    logs: logs.map((log) => log.log),
    anomalies: async () => {
      const scoring = performance.now();
      scores = await deps.models.scoreRecords(logs.map((log) => log.record));
      scoreMs = performance.now() - scoring;
      scores?.forEach((score, i) => {
        if (score.isAnomaly) anomalies.push(toNewAnomaly(logs[i] as ScorableLog, score));
      });
      return anomalies;
    },
    deadLetters: deadLetters.map((letter) => letter.letter),
  });
  const committedAt = deps.clock.now();
  const stored = performance.now();
  const batchScores = scores as RecordScore[] | null;
  const modelVersion = batchScores?.[0]?.modelVersion ?? deps.models.current()?.manifest.version ?? null;

  const summary: DetectorSummary = {
    records: event.records.length,
    stored: result.logs.inserted,
    duplicates: result.logs.alreadyPresent + result.deadLetters.alreadyPresent,
    anomalies: result.anomalies.inserted,
    deadLetters: result.deadLetters.inserted,
    modelVersion,
    ...(unaddressable.length > 0 ? { unaddressable: unaddressable.length } : {}),
  };

  // Metrics and training both come after the commit and do not depend on each other: one wait, not two.
  const [, training] = await Promise.all([
    emitMetrics(deps, {
    records: summary.records,
    stored: summary.stored,
    duplicates: summary.duplicates,
    deadLetters: summary.deadLetters,
    unaddressable: unaddressable.length,
    scored: batchScores?.length ?? 0,
    flagged: anomalies.length,
    elapsedMs: committedAt - startedAt,
    endToEndLatenciesMs: latenciesMs(committedAt, logs, deadLetters),
    }),
    trainIfDue(deps, summary.stored),
  ]);
  const final = training.trained === undefined ? summary : { ...summary, trained: training.trained };
  deps.logger.info('detector batch', {
    eventSource: event.eventSource,
    ...final,
    labelsRefused: logs.filter((log) => log.labelRefused).length,
    training: training.action,
    durationMs: deps.clock.now() - startedAt,
    // Where the batch's time went (ms): decoding and mapping records, the storing transaction
    // (which includes the scoring, done while PostgreSQL inserts the logs), scoring alone, then
    // metrics and training after the commit.
    phasesMs: { map: round1(mapped - phaseStart), store: round1(stored - mapped), score: round1(scoreMs), afterCommit: round1(performance.now() - stored) },
    partitions: partitionsOf(logs, deadLetters),
    ...(unaddressable.length > 0 ? { unaddressableReasons: unaddressable.slice(0, 5).map(({ reason, topic, partition }) => ({ reason, topic, partition })) } : {}),
  });
  return final;
}

async function emitMetrics(deps: BatchDependencies, measurements: Parameters<typeof recordBatchMetrics>[1]): Promise<void> {
  if (deps.emitter === null) return;
  try {
    recordBatchMetrics(deps.emitter, measurements);
    await deps.emitter.flush();
  } catch (error) {
    deps.logger.warn('detector metrics not sent; the batch is stored', { error: describeError(error) });
  }
}

/** `maybeTrain` after the commit; a failure is logged, never thrown (the batch is already stored). */
async function trainIfDue(deps: BatchDependencies, stored: number): Promise<{ action: TrainOutcome['action'] | 'failed'; trained?: string }> {
  let outcome: TrainOutcome;
  try {
    outcome = await deps.models.maybeTrain(stored);
  } catch (error) {
    deps.logger.warn('model training failed; the batch is stored and training is retried later', { error: describeError(error) });
    return { action: 'failed' };
  }
  if (outcome.action !== 'trained') return { action: outcome.action };
  const { version } = outcome.manifest;
  try {
    await registerTrainedModel(deps.db, outcome.manifest, deps.artifactKey(version));
  } catch (error) {
    deps.logger.warn('trained model is published but not registered in the models table', { version, error: describeError(error) });
  }
  return { action: 'trained', trained: version };
}

function round1(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** Per record with a Kafka timestamp: `committedAt` − its timestamp, ms (0 at least, against clock skew). */
function latenciesMs(committedAt: number, logs: readonly ScorableLog[], deadLetters: readonly DeadLetterRecord[]): number[] {
  const latencies: number[] = [];
  for (const items of [logs, deadLetters]) {
    for (const { kafkaTimestamp } of items) if (kafkaTimestamp !== null) latencies.push(Math.max(0, committedAt - kafkaTimestamp));
  }
  return latencies;
}

/** "topic-partition" of every addressable record, sorted, for the log line (one name per run of records from one partition). */
function partitionsOf(logs: readonly ScorableLog[], deadLetters: readonly DeadLetterRecord[]): string[] {
  const names = new Set<string>();
  let topic: string | undefined;
  let partition: number | undefined;
  const add = (coordinates: { topic: string; partition: number }) => {
    if (coordinates.topic === topic && coordinates.partition === partition) return;
    ({ topic, partition } = coordinates);
    names.add(`${topic}-${partition}`);
  };
  for (const log of logs) add(log.coordinates);
  for (const { letter } of deadLetters) add(letter);
  return [...names].sort().slice(0, 100);
}
