/**
 * Stores what the detector made of one batch of Kafka records — logs, their anomalies, and dead
 * letters — in ONE transaction, so a batch is either stored whole or not at all.
 *
 * Idempotent under redelivery: logs and dead letters are unique on their Kafka coordinates and
 * anomalies on their log; logs already stored are skipped (sendLogInsert), dead letters and
 * anomalies by ON CONFLICT DO NOTHING. Storing the same batch twice leaves the same rows, and a
 * batch overlapping an earlier one adds only the new records. Rows are inserted in coordinate order
 * so concurrent overlapping batches cannot deadlock; when one of them stores a record between the
 * other's read and insert, the other's transaction is retried.
 *
 * The detector's per-stream feature state (detector-streams.ts) joins the same transaction: the
 * scoring function may return stream writes with its anomalies; they are written after the
 * anomalies by compare-and-set, and a StreamConflictError (another writer moved a stream) rolls
 * the whole batch back and reaches the caller unchanged.
 */
import { InfrastructureError, ValidationError } from '../errors.js';
import type { Db } from './pool.js';
import { withTransaction } from './transaction.js';
import { toPipelineError } from './database-errors.js';
import { NO_ROWS, type InsertCounts } from './insert-counts.js';
import { compareCoordinates, type KafkaCoordinates } from './kafka-coordinates.js';
import { requireArray } from './input-checks.js';
import { isConcurrentLogInsert, sendLogInsert, toLogRow, type NewLog } from './log-rows.js';
import { insertAnomalyRows, toAnomalyRow, type AnomalyRow, type NewAnomaly } from './anomaly-rows.js';
import { insertDeadLetterRows, toDeadLetterRow, type NewDeadLetter } from './dead-letters.js';
import { toStreamRow, writeDetectorStreams, type StreamRow, type StreamWrite } from './detector-streams.js';

export interface DetectorBatch {
  readonly logs: readonly NewLog[];
  /**
   * Each anomaly must name a log of this same batch by (topic, partition, offset). Either the
   * anomalies, or a function computing them (the detector's scoring): it is called once, right
   * after the logs' INSERT is sent, so that work runs while PostgreSQL inserts the logs; it is not
   * called when the batch has no logs. What it throws is rethrown as it is, and nothing is stored.
   * It may also return the detector's stream writes with the anomalies (ScoredBatch): they are
   * written after the anomalies, in the same transaction.
   */
  readonly anomalies: readonly NewAnomaly[] | (() => Promise<readonly NewAnomaly[] | ScoredBatch>);
  readonly deadLetters: readonly NewDeadLetter[];
}

/** What the detector's scoring gives a batch: its anomalies and each scored stream's next state. */
export interface ScoredBatch {
  readonly anomalies: readonly NewAnomaly[];
  /** At most one per stream; StreamRows (already checked) are taken as they are. */
  readonly streams: readonly StreamWrite[];
}

export interface DetectorBatchResult {
  readonly logs: InsertCounts;
  readonly anomalies: InsertCounts;
  readonly deadLetters: InsertCounts;
}

export async function storeDetectorBatch(db: Db, batch: DetectorBatch): Promise<DetectorBatchResult> {
  // Validate everything before opening a transaction: a bad row fails fast and names itself.
  // LogRows (what the detector builds per record) are already valid and are taken as they are.
  const logs = requireArray(batch?.logs, 'batch.logs').map((log, i) => toLogRow(log, `logs[${i}]`)).sort(compareCoordinates);
  const deadLetters = requireArray(batch.deadLetters, 'batch.deadLetters')
    .map((letter, i) => toDeadLetterRow(letter, `deadLetters[${i}]`))
    .sort(compareCoordinates);
  const computeAnomalies = typeof batch.anomalies === 'function' ? batch.anomalies : null;
  const givenAnomalies = computeAnomalies === null ? checkedAnomalies(batch.anomalies, logs) : null;
  if (logs.length === 0 && deadLetters.length === 0) return { logs: NO_ROWS, anomalies: NO_ROWS, deadLetters: NO_ROWS };

  // Called at most once, even when the transaction is retried; its failure is the caller's, not the database's.
  let computed: Promise<CheckedScoring> | null = null;
  const scoringOnce = (): Promise<CheckedScoring> =>
    (computed ??= Promise.resolve()
      .then(() => computeAnomalies!())
      .then(
        (scored) => checkedScoring(scored, logs),
        (error: unknown) => Promise.reject(new CallerFailure(error)),
      ));

  const store = () =>
    withTransaction(db, async (session) => {
      let logCounts = NO_ROWS;
      let scoring: CheckedScoring = { anomalies: givenAnomalies ?? [], streams: [] };
      if (logs.length > 0) {
        const { done } = await sendLogInsert(session, logs);
        if (computeAnomalies === null) logCounts = await done;
        else [logCounts, scoring] = await Promise.all([done, scoringOnce()]);
      }
      const { anomalies, streams } = scoring;
      const anomalyCounts = anomalies.length > 0 ? await insertAnomalyRows(session, anomalies) : NO_ROWS;
      if (streams.length > 0) await writeDetectorStreams(session, streams);
      const deadLetterCounts = deadLetters.length > 0 ? await insertDeadLetterRows(session, deadLetters) : NO_ROWS;
      return { logs: logCounts, anomalies: anomalyCounts, deadLetters: deadLetterCounts };
    });

  for (let attempt = 1; ; attempt++) {
    try {
      return await store();
    } catch (error) {
      if (error instanceof CallerFailure) throw error.error;
      if (!isConcurrentLogInsert(error)) throw toPipelineError('storeDetectorBatch', error);
      if (attempt >= MAX_ATTEMPTS) {
        throw new InfrastructureError(`storeDetectorBatch: other transactions kept storing the same records (${attempt} attempts); the batch will be redelivered`, { cause: error });
      }
    }
  }
}

/**
 * Transactions per call when concurrent writers store some of the same records (a redelivery
 * racing the first delivery): each retry reads the rows the other writer committed and skips them,
 * so a second attempt normally succeeds.
 */
const MAX_ATTEMPTS = 5;

/** What the caller's anomalies function threw, carried through the transaction unchanged. */
class CallerFailure {
  constructor(readonly error: unknown) {}
}

interface CheckedScoring {
  readonly anomalies: AnomalyRow[];
  readonly streams: StreamRow[];
}

/** What the scoring function returned, checked: anomalies alone (an array) or a ScoredBatch. */
function checkedScoring(scored: readonly NewAnomaly[] | ScoredBatch, logs: readonly KafkaCoordinates[]): CheckedScoring {
  if (Array.isArray(scored)) return { anomalies: checkedAnomalies(scored, logs), streams: [] };
  if (scored === null || typeof scored !== 'object') throw new ValidationError('the anomalies function must return an array of anomalies or { anomalies, streams }');
  const { anomalies, streams } = scored as ScoredBatch;
  return {
    anomalies: checkedAnomalies(anomalies, logs),
    streams: requireArray(streams, 'batch.streams').map((write, i) => toStreamRow(write, `streams[${i}]`)),
  };
}

/** Validated anomaly rows in coordinate order; throws ValidationError for a bad one or one naming no log of `logs`. */
function checkedAnomalies(input: unknown, logs: readonly KafkaCoordinates[]): AnomalyRow[] {
  const anomalies = requireArray(input as readonly NewAnomaly[], 'batch.anomalies')
    .map((anomaly, i) => toAnomalyRow(anomaly, `anomalies[${i}]`))
    .sort(compareCoordinates);
  const orphan = firstOrphan(anomalies, logs);
  if (orphan) {
    throw new ValidationError(
      `an anomaly names no log of this batch: topic "${orphan.topic}" partition ${orphan.partition} offset ${orphan.offset}`,
    );
  }
  return anomalies;
}

/**
 * The first anomaly whose coordinates match no log, by one merge walk over both lists (each
 * sorted by compareCoordinates); undefined when every anomaly has its log.
 */
function firstOrphan(anomalies: readonly KafkaCoordinates[], logs: readonly KafkaCoordinates[]): KafkaCoordinates | undefined {
  let next = 0;
  for (const anomaly of anomalies) {
    while (next < logs.length && compareCoordinates(logs[next]!, anomaly) < 0) next += 1;
    if (next === logs.length || compareCoordinates(logs[next]!, anomaly) !== 0) return anomaly;
  }
  return undefined;
}
