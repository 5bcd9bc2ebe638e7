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
 * Reused coordinates never hide a new record: a log whose coordinates already hold a DIFFERENT
 * record (fingerprints differ: the topic was recreated, the broker lost its log) is not a
 * redelivery. It is stored in dead_letters with reason "offset reused" (the record whole, from
 * `offsetReused`), in the same transaction, and gets no anomaly; the stored row is left as it is.
 *
 * Late anomalies (a log of an earlier batch that this batch's records made anomalous, or more so)
 * land on their stored log after the batch's own anomalies; the higher score stands.
 *
 * The rollups (per-minute counts, migration 011) are kept in the same transaction and are exact under
 * all of the above: they count only what the statements really added (the logs the read found not
 * stored; anomalies and dead letters by RETURNING; a late anomaly that only raises a score adds
 * nothing), applied at the end in one sorted statement per rollup table (log-rollups.ts).
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
import { compareCoordinates, coordinatesKey, type KafkaCoordinates } from './kafka-coordinates.js';
import { requireArray } from './input-checks.js';
import { isConcurrentLogInsert, NOTHING_STORED, sendLogInsert, toLogRow, type LogRow, type NewLog, type StoredCoordinates } from './log-rows.js';
import { insertAnomalyRows, toAnomalyRow, upsertLateAnomalyRows, type AnomalyRow, type LateAnomalyCounts, type NewAnomaly } from './anomaly-rows.js';
import { applyLogRollups, LogRollupDeltas } from './log-rollups.js';
import { applyDeadLetterRollups, DeadLetterRollupDeltas } from './dead-letter-rollups.js';
import { insertDeadLetterRows, toDeadLetterRow, type DeadLetterRow, type NewDeadLetter } from './dead-letters.js';
import { OFFSET_REUSED_REASON, rowAsOffsetReusedLetter } from './offset-reuse.js';
import { toStreamRow, writeDetectorStreams, type StreamRow, type StreamWrite } from './detector-streams.js';

export interface DetectorBatch {
  readonly logs: readonly NewLog[];
  /**
   * Each anomaly must name a log of this same batch by (topic, partition, offset). Either the
   * anomalies, or a function computing them (the detector's scoring): it is called once, right
   * after the logs' INSERT is sent, so that work runs while PostgreSQL inserts the logs; it is not
   * called when the batch has no logs. What it throws is rethrown as it is, and nothing is stored.
   * It may also return the detector's stream writes with the anomalies (ScoredBatch): they are
   * written after the anomalies, in the same transaction. It is given what the read before the
   * insert found: which logs are redeliveries and which met a different stored record (those are
   * dead-lettered; an anomaly naming one is left out).
   */
  readonly anomalies: readonly NewAnomaly[] | ((found: StoredCoordinates) => Promise<readonly NewAnomaly[] | ScoredBatch>);
  readonly deadLetters: readonly NewDeadLetter[];
  /**
   * The dead letter for a log whose coordinates hold a different record: the record as it arrived
   * (the detector gives its key, value and header bytes). Its reason is set to "offset reused"
   * whatever it says. Without it the row's fields are kept as JSON (rowAsOffsetReusedLetter).
   */
  readonly offsetReused?: (log: LogRow) => NewDeadLetter;
}

/** What the detector's scoring gives a batch: its anomalies, late anomalies, and each scored stream's next state. */
export interface ScoredBatch {
  readonly anomalies: readonly NewAnomaly[];
  /**
   * Anomalies on logs of EARLIER batches that this batch's records revised (late verdicts): each
   * names a stored log by its coordinates (upsertLateAnomalyRows: the higher score stands).
   * Absent: none.
   */
  readonly late?: readonly NewAnomaly[];
  /** At most one per stream; StreamRows (already checked) are taken as they are. */
  readonly streams: readonly StreamWrite[];
}

export interface DetectorBatchResult {
  /** alreadyPresent: redeliveries (and repeats within the batch); logs of reused coordinates are in offsetReused. */
  readonly logs: InsertCounts;
  readonly anomalies: InsertCounts;
  /** Late anomalies (ScoredBatch.late): inserted = rows added, raised = existing anomalies given a higher score. */
  readonly lateAnomalies: LateAnomalyCounts;
  /** The batch's own dead letters. */
  readonly deadLetters: InsertCounts;
  /**
   * Dead letters "offset reused", one per log whose coordinates hold a different record;
   * alreadyPresent when an earlier delivery of the same record already dead-lettered it.
   */
  readonly offsetReused: InsertCounts;
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
  if (logs.length === 0 && deadLetters.length === 0) return { logs: NO_ROWS, anomalies: NO_ROWS, lateAnomalies: NO_LATE_ROWS, deadLetters: NO_ROWS, offsetReused: NO_ROWS };
  const offsetReused = batch.offsetReused ?? rowAsOffsetReusedLetter;

  // Called at most once, even when the transaction is retried; its failure is the caller's, not the database's.
  // A retry that finds other reused coordinates than the first attempt leaves out their anomalies all the same (below).
  let computed: Promise<CheckedScoring> | null = null;
  const scoringOnce = (found: StoredCoordinates): Promise<CheckedScoring> =>
    (computed ??= Promise.resolve()
      .then(() => computeAnomalies!(found))
      .then(
        (scored) => checkedScoring(scored, logs),
        (error: unknown) => Promise.reject(new CallerFailure(error)),
      ));

  const store = () =>
    withTransaction(db, async (session) => {
      // What this attempt really adds, for the rollups (a retried attempt starts afresh).
      const logRollups = new LogRollupDeltas();
      const deadLetterRollups = new DeadLetterRollupDeltas();
      let logCounts = NO_ROWS;
      let found = NOTHING_STORED;
      let scoring: CheckedScoring = { anomalies: givenAnomalies ?? [], late: [], streams: [] };
      if (logs.length > 0) {
        const sent = await sendLogInsert(session, logs);
        found = sent.found;
        if (computeAnomalies === null) logCounts = await sent.done;
        else [logCounts, scoring] = await Promise.all([sent.done, scoringOnce(found)]);
        logRollups.addInsertedLogs(sent.fresh);
      }
      const { streams } = scoring;
      // A reused coordinate's stored row belongs to another record: an anomaly must not land on it.
      const anomalies = found.reused.length === 0 ? scoring.anomalies : scoring.anomalies.filter((anomaly) => !found.reusedKeys.has(coordinatesKey(anomaly)));
      const anomalyCounts = anomalies.length > 0 ? await insertAnomalyRows(session, anomalies, logRollups) : NO_ROWS;
      const lateCounts = scoring.late.length > 0 ? await upsertLateAnomalyRows(session, scoring.late, logRollups) : NO_LATE_ROWS;
      if (streams.length > 0) await writeDetectorStreams(session, streams);
      const deadLetterCounts = deadLetters.length > 0 ? await insertDeadLetterRows(session, deadLetters, deadLetterRollups) : NO_ROWS;
      // After the batch's own dead letters, in coordinate order like them (lock order, see compareCoordinates).
      const reusedCounts = found.reused.length > 0 ? await insertDeadLetterRows(session, reusedLetters(found.reused, offsetReused), deadLetterRollups) : NO_ROWS;
      // Last, log rollups before dead-letter rollups, each one sorted statement (lock order, log-rollups.ts).
      await applyLogRollups(session, logRollups);
      await applyDeadLetterRollups(session, deadLetterRollups);
      return { logs: logCounts, anomalies: anomalyCounts, lateAnomalies: lateCounts, deadLetters: deadLetterCounts, offsetReused: reusedCounts };
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

const NO_LATE_ROWS: LateAnomalyCounts = { inserted: 0, raised: 0, alreadyPresent: 0 };

/**
 * Transactions per call when concurrent writers store some of the same records (a redelivery
 * racing the first delivery): each retry reads the rows the other writer committed and skips them,
 * so a second attempt normally succeeds.
 */
const MAX_ATTEMPTS = 5;

/**
 * The "offset reused" dead letters of `rows` (sorted by coordinates, so the letters are too): the
 * caller's letter under the log's own coordinates and reason OFFSET_REUSED_REASON, whatever it says.
 */
function reusedLetters(rows: readonly LogRow[], letterOf: (log: LogRow) => NewDeadLetter): DeadLetterRow[] {
  return rows.map((row, i) =>
    toDeadLetterRow({ ...letterOf(row), topic: row.topic, partition: row.partition, offset: row.offset, reason: OFFSET_REUSED_REASON }, `offsetReused[${i}]`),
  );
}

/** What the caller's anomalies function threw, carried through the transaction unchanged. */
class CallerFailure {
  constructor(readonly error: unknown) {}
}

interface CheckedScoring {
  readonly anomalies: AnomalyRow[];
  readonly late: AnomalyRow[];
  readonly streams: StreamRow[];
}

/** What the scoring function returned, checked: anomalies alone (an array) or a ScoredBatch. */
function checkedScoring(scored: readonly NewAnomaly[] | ScoredBatch, logs: readonly KafkaCoordinates[]): CheckedScoring {
  if (Array.isArray(scored)) return { anomalies: checkedAnomalies(scored, logs), late: [], streams: [] };
  if (scored === null || typeof scored !== 'object') throw new ValidationError('the anomalies function must return an array of anomalies or { anomalies, late?, streams }');
  const { anomalies, late, streams } = scored as ScoredBatch;
  return {
    anomalies: checkedAnomalies(anomalies, logs),
    // Late anomalies name logs of earlier batches: checked, not matched against this batch's logs.
    late: late === undefined ? [] : requireArray(late, 'batch.late').map((anomaly, i) => toAnomalyRow(anomaly, `late[${i}]`)).sort(compareCoordinates),
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
