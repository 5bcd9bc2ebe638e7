import type pg from 'pg';
import { coordinatesKey, StreamRow, storeDetectorBatch, type DetectorBatchResult, type NewAnomaly, type StoredCoordinates } from '../shared/db/index.js';
import { InfrastructureError, StreamConflictError } from '../shared/errors.js';
import type { DecodedKafkaRecord, ParsedKafkaEvent } from '../shared/kafka/index.js';
import type { MetricsEmitter } from '../shared/metrics/index.js';
import type { ModelManager, TrainOutcome } from '../shared/model/model-manager.js';
import { logAnomalies } from './anomaly-log-lines.js';
import { toLateAnomaly, toNewAnomaly } from './anomaly-mapping.js';
import { recordBatchMetrics } from './batch-metrics.js';
import { describeError, type DetectorLogger } from './detector-logger.js';
import { mapRecord, type DeadLetterRecord, type ScorableLog, type UnaddressableRecord } from './map-record.js';
import { offsetReusedLetters } from './offset-reused-letters.js';
import type { StreamPosition, StreamStates } from './stream-states.js';
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
  /** Logs of earlier batches that this batch's records made anomalous, or more so (late verdicts: rows added or raised); absent when none. */
  readonly lateAnomalies?: number;
  /** Dead letters inserted by this batch (offsetReused included). */
  readonly deadLetters: number;
  /**
   * Of those, records whose coordinates already held a DIFFERENT stored record (a recreated topic,
   * a broker that lost its log): kept whole in dead_letters, reason "offset reused"; absent when none.
   */
  readonly offsetReused?: number;
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
  readonly models: Pick<ModelManager, 'scoreStream' | 'maybeTrain' | 'current'>;
  /** Each stream's feature state: cached by this container, stored in PostgreSQL with every batch. */
  readonly streams: StreamStates;
  /** The S3 key of a version's artifact, recorded in the models table. */
  artifactKey(version: string): string;
  /** Consumer metrics go here; null disables them. */
  readonly emitter: Pick<MetricsEmitter, 'recordMetric' | 'flush'> | null;
  readonly clock: DetectorClock;
  readonly logger: DetectorLogger;
}

/**
 * Transactions per batch when other writers keep moving its streams' state (a redelivery racing the
 * first delivery, two containers given the same partition): each retry reads the state they committed.
 */
export const MAX_STREAM_ATTEMPTS = 3;

/**
 * One batch, in order: map every record (valid log, dead letter, or unaddressable) → group the
 * valid logs by stream (topic-partition, in offset order) and take each stream's state from this
 * container's cache or PostgreSQL → store logs, anomalies and dead letters in ONE transaction
 * (idempotent by Kafka coordinates), scoring each stream with the current model from its state
 * (none yet: stored unflagged) while PostgreSQL inserts the logs, the anomalies and each stream's
 * next state then joining the transaction → consumer metrics (best effort) → maybe train
 * (failures logged: the records are safe) → one structured log line.
 * A stream's records that an earlier delivery stored (offsets below its state's next offset,
 * stored with the same record) are scored but neither learned nor flagged again. A record whose
 * coordinates already hold a DIFFERENT record (Kafka reused the offset: a recreated topic, a lost
 * broker log) is dead-lettered "offset reused" with its bytes, and neither scored nor learned.
 * When another writer moved a stream's state since it was read, the
 * transaction rolls back and the batch is scored and stored again from the state read afresh
 * (MAX_STREAM_ATTEMPTS in all, then InfrastructureError).
 * Throws (so the batch is redelivered) only when scoring or storing fails — S3 unreachable with no
 * model in hand, PostgreSQL down — and then nothing of the batch has been written.
 */
export async function processBatch(event: ParsedKafkaEvent, deps: BatchDependencies, startedAt: number): Promise<DetectorSummary> {
  const phaseStart = performance.now();
  const logs: ScorableLog[] = [];
  const deadLetters: DeadLetterRecord[] = [];
  const unaddressable: UnaddressableRecord[] = [];
  // The record each log was mapped from (same index): its bytes are its dead letter should its coordinates turn out reused.
  const sources: DecodedKafkaRecord[] = [];
  for (const record of event.records) {
    const mapped = mapRecord(record);
    if (mapped.kind === 'log') {
      logs.push(mapped);
      sources.push(record as DecodedKafkaRecord);
    } else if (mapped.kind === 'dead-letter') deadLetters.push(mapped);
    else unaddressable.push(mapped);
  }

  const mapped = performance.now();
  const { result, scoring, scoreMs, attempts, reusedStreams } = await storeScoredBatch(deps, logs, sources, deadLetters);
  const committedAt = deps.clock.now();
  const stored = performance.now();
  const { anomalies } = scoring;
  const modelVersion = scoring.modelVersion ?? deps.models.current()?.manifest.version ?? null;

  const offsetReused = result.offsetReused.inserted;
  // Late verdicts stored: anomalies added and existing ones raised.
  const lateAnomalies = result.lateAnomalies.inserted + result.lateAnomalies.raised;
  const summary: DetectorSummary = {
    records: event.records.length,
    stored: result.logs.inserted,
    duplicates: result.logs.alreadyPresent + result.deadLetters.alreadyPresent + result.offsetReused.alreadyPresent,
    anomalies: result.anomalies.inserted,
    ...(lateAnomalies > 0 ? { lateAnomalies } : {}),
    deadLetters: result.deadLetters.inserted + offsetReused,
    modelVersion,
    ...(offsetReused > 0 ? { offsetReused } : {}),
    ...(unaddressable.length > 0 ? { unaddressable: unaddressable.length } : {}),
  };
  // After the commit: one `ANOMALY DETECTED` line per anomaly stored (at most 20, then a count).
  if (anomalies.length > 0) logAnomalies(deps.logger, anomalies, scoring.anomalyLogs);
  if (offsetReused > 0) {
    deps.logger.warn('records at reused Kafka coordinates were dead-lettered ("offset reused"): a different record is already stored there; was the topic recreated or the broker log lost?', {
      offsetReused,
      partitions: [...reusedStreams].sort().slice(0, 100),
    });
  }

  // Metrics and training both come after the commit and do not depend on each other: one wait, not two.
  const [, training] = await Promise.all([
    emitMetrics(deps, {
    records: summary.records,
    stored: summary.stored,
    duplicates: summary.duplicates,
    deadLetters: summary.deadLetters,
    offsetReused,
    unaddressable: unaddressable.length,
    scored: scoring.scored,
    // Late anomalies count in the batch that found them: that is when they became known.
    flagged: anomalies.length + lateAnomalies,
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
    // Streams scored, those whose state came from PostgreSQL rather than this container's cache,
    // and the transactions the batch took (more than one when another writer moved a stream meanwhile).
    streams: { scored: scoring.streams.length, read: scoring.streamsRead, ...(attempts > 1 ? { attempts } : {}) },
    ...(unaddressable.length > 0 ? { unaddressableReasons: unaddressable.slice(0, 5).map(({ reason, topic, partition }) => ({ reason, topic, partition })) } : {}),
  });
  return final;
}

/** The valid logs of one stream (topic-partition), in offset order, each offset once. */
interface StreamLogs {
  readonly key: string;
  readonly logs: ScorableLog[];
}

/** What scoring a batch gave: its anomalies and the streams' next states (one StreamRow per stream scored). */
interface BatchScoring {
  readonly anomalies: NewAnomaly[];
  /** The log each anomaly was flagged on (same index as `anomalies`), for its log line. */
  readonly anomalyLogs: ScorableLog[];
  /** Anomalies on logs of earlier batches that this batch's records revised (late verdicts). */
  readonly late: NewAnomaly[];
  readonly streams: StreamRow[];
  /** Records scored (0 without a model). */
  readonly scored: number;
  /** The version that scored the first scored record; null when nothing was scored. */
  readonly modelVersion: string | null;
  /** Streams whose state was read from PostgreSQL (not cached, or another container moved them since). */
  readonly streamsRead: number;
}

/**
 * Reads the streams' positions (before the transaction), then stores the batch with its scoring
 * done while PostgreSQL inserts the logs; on a StreamConflictError forgets the batch's cached
 * streams and starts again. After the commit the written states become the cached ones.
 * Logs whose coordinates hold a different stored record are dead-lettered by storeDetectorBatch
 * with their Kafka record whole; `reusedStreams` names their partitions (for the log line).
 */
async function storeScoredBatch(
  deps: BatchDependencies,
  logs: readonly ScorableLog[],
  sources: readonly DecodedKafkaRecord[],
  deadLetters: readonly DeadLetterRecord[],
): Promise<{ result: DetectorBatchResult; scoring: BatchScoring; scoreMs: number; attempts: number; reusedStreams: ReadonlySet<string> }> {
  const streams = groupByStream(logs);
  const keys = streams.map((stream) => stream.key);
  const rows = logs.map((log) => log.log);
  const letters = deadLetters.map((letter) => letter.letter);
  const letterOf = offsetReusedLetters(logs, sources);
  let scoreMs = 0;
  for (let attempt = 1; ; attempt++) {
    const { positions, read: streamsRead } = await deps.streams.positions(keys);
    let scoring: BatchScoring | null = null;
    const reusedStreams = new Set<string>();
    try {
      const result = await storeDetectorBatch(deps.db, {
        logs: rows,
        // Called once the logs' INSERT is sent; the anomalies and the streams' next states join the transaction.
        anomalies: async (found) => {
          const started = performance.now();
          try {
            scoring = await scoreStreams(deps, streams, positions, streamsRead, found);
          } finally {
            scoreMs += performance.now() - started;
          }
          return { anomalies: scoring.anomalies, late: scoring.late, streams: scoring.streams };
        },
        deadLetters: letters,
        offsetReused: (row) => {
          reusedStreams.add(`${row.topic}-${row.partition}`);
          return letterOf(row);
        },
      });
      const done: BatchScoring = scoring ?? { anomalies: [], anomalyLogs: [], late: [], streams: [], scored: 0, modelVersion: null, streamsRead };
      deps.streams.remember(done.streams);
      return { result, scoring: done, scoreMs, attempts: attempt, reusedStreams };
    } catch (error) {
      if (!(error instanceof StreamConflictError)) throw error;
      deps.streams.forget(keys);
      if (attempt >= MAX_STREAM_ATTEMPTS) {
        throw new InfrastructureError(`the batch's stream states kept moving under other writers (${attempt} attempts); the batch will be redelivered: ${error.message}`, { cause: error });
      }
      deps.logger.warn('another writer moved a stream of this batch since its state was read; scoring and storing the batch again', { attempt, error: error.message });
    }
  }
}

/**
 * Each stream scored from its position, one after the other; streams scoreStream has no model for
 * get no write. `found` is what the read before the logs' insert found stored:
 * - a log whose coordinates hold a different record ("offset reused") is dead-lettered, not
 *   stored: it is neither scored nor learned, and a stream with nothing else gets no write (its
 *   state, next offset and revision stay as they were);
 * - the leading logs that are redeliveries below the stream's next offset were learned by an
 *   earlier delivery: measured, neither learned nor flagged again (see alreadyLearnedCount).
 */
async function scoreStreams(
  deps: BatchDependencies,
  streams: readonly StreamLogs[],
  positions: ReadonlyMap<string, StreamPosition>,
  streamsRead: number,
  found: StoredCoordinates,
): Promise<BatchScoring> {
  const anomalies: NewAnomaly[] = [];
  const anomalyLogs: ScorableLog[] = [];
  const late: NewAnomaly[] = [];
  const writes: StreamRow[] = [];
  let scored = 0;
  let modelVersion: string | null = null;
  for (const stream of streams) {
    const { key } = stream;
    const logs = found.reused.length === 0 ? stream.logs : stream.logs.filter((log) => !found.reusedKeys.has(coordinatesKey(log.coordinates)));
    if (logs.length === 0) continue;
    const position = positions.get(key)!;
    const alreadyLearned = alreadyLearnedCount(logs, position.nextOffset, found.duplicates);
    // Offsets name the records, so that a later batch's late verdicts find their logs.
    const result = await deps.models.scoreStream(
      logs.map((log) => log.record),
      position.snapshot,
      alreadyLearned,
      logs.map((log) => log.coordinates.offset),
    );
    if (result === null) continue;
    // Records an earlier delivery learned were stored then, with that delivery's verdict, in the
    // same transaction as the state: that verdict stands (scored again, from a state that already
    // holds them, they could be flagged differently).
    result.scores.forEach((score, i) => {
      if (score.isAnomaly && i >= alreadyLearned) {
        anomalies.push(toNewAnomaly(logs[i] as ScorableLog, score));
        anomalyLogs.push(logs[i] as ScorableLog);
      }
    });
    // Logs of earlier batches that this batch's records revised into anomalies (late verdicts).
    const { topic, partition } = (logs[0] as ScorableLog).coordinates;
    for (const { ref, score } of result.late) late.push(toLateAnomaly({ topic, partition, offset: ref }, score));
    scored += result.scores.length;
    modelVersion ??= result.scores[0]?.modelVersion ?? null;
    const last = (logs[logs.length - 1] as ScorableLog).coordinates.offset;
    writes.push(
      new StreamRow(
        { key, expectedRevision: position.revision, modelVersion: result.next.modelVersion, nextOffset: Math.max(position.nextOffset, last + 1), state: result.next.state },
        `stream ${key}`,
      ),
    );
  }
  return { anomalies, anomalyLogs, late, streams: writes, scored, modelVersion, streamsRead };
}

/**
 * How many of a stream's logs (in offset order), from the first, an earlier delivery stored and
 * learned: below the state's next offset AND already stored with the same record (a log and the
 * state that learned it are committed together). Both, because a record below the next offset
 * whose coordinates held nothing (its row deleted by retention, then the topic recreated) is new
 * to the state: it is learned and may be flagged. (One whose coordinates hold another record is
 * dead-lettered and left out before this.) Redeliveries come first in a stream's batch (the first
 * delivery stopped part-way), so a prefix covers them.
 */
function alreadyLearnedCount(logs: readonly ScorableLog[], nextOffset: number, duplicates: ReadonlySet<string>): number {
  if (duplicates.size === 0) return 0;
  let count = 0;
  while (count < logs.length) {
    const { coordinates } = logs[count] as ScorableLog;
    if (coordinates.offset >= nextOffset || !duplicates.has(coordinatesKey(coordinates))) break;
    count += 1;
  }
  return count;
}

/**
 * The valid logs grouped by "<topic>-<partition>" (the key Kafka events use), streams in order of
 * first appearance, each stream's logs in offset order with a repeated offset kept once.
 */
function groupByStream(logs: readonly ScorableLog[]): StreamLogs[] {
  const byKey = new Map<string, ScorableLog[]>();
  let topic: string | undefined;
  let partition: number | undefined;
  let current: ScorableLog[] = [];
  for (const log of logs) {
    const coordinates = log.coordinates;
    if (coordinates.topic !== topic || coordinates.partition !== partition) {
      ({ topic, partition } = coordinates);
      const key = `${topic}-${partition}`;
      current = byKey.get(key) ?? [];
      if (current.length === 0) byKey.set(key, current);
    }
    current.push(log);
  }
  return [...byKey].map(([key, list]) => ({ key, logs: inOffsetOrder(list) }));
}

function inOffsetOrder(logs: ScorableLog[]): ScorableLog[] {
  let sorted = true;
  for (let i = 1; i < logs.length && sorted; i++) sorted = (logs[i - 1] as ScorableLog).coordinates.offset < (logs[i] as ScorableLog).coordinates.offset;
  if (sorted) return logs;
  const ordered = [...logs].sort((a, b) => a.coordinates.offset - b.coordinates.offset);
  return ordered.filter((log, i) => i === 0 || log.coordinates.offset !== (ordered[i - 1] as ScorableLog).coordinates.offset);
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
