/**
 * Rows of the `logs` table: one per Kafka record of topic `logs` that parsed as a log line.
 * Unique on (topic, partition, kafka_offset): a redelivered record adds nothing. Each row also
 * keeps the record's fingerprint (migration 010), so a NEW record that Kafka placed at stored
 * coordinates (a recreated topic, a lost broker log) is told from a redelivery and never dropped.
 */
import type { Session } from './transaction.js';
import { chunks, type InsertCounts } from './insert-counts.js';
import { compareCoordinates, coordinatesKey, type KafkaCoordinates } from './kafka-coordinates.js';
import {
  optionalText,
  optionalTimestampMs,
  requireInteger,
  requireOffset,
  requirePartition,
  requireText,
  requireTimestampMs,
  type Timestamp,
} from './input-checks.js';
import { encodeInt4Array, encodeInt8Array, encodeTextArray, encodeTimestampArray } from './binary-arrays.js';

export interface NewLog extends KafkaCoordinates {
  /** The producer's id for the line (not unique: the Kafka coordinates are the identity). */
  readonly logId: string;
  /** When the line was logged (the record's own timestamp). */
  readonly ts: Timestamp;
  readonly service: string;
  readonly level: string;
  readonly message: string;
  readonly host: string | null;
  readonly traceId: string | null;
  readonly experimentId: string | null;
  readonly producerId: string | null;
  /** Ground truth from the record header ("normal"/"anomaly"...): for evaluation only, never a feature. */
  readonly label: string | null;
  /** When the producer sent the record (Kafka timestamp), if known. */
  readonly producedAt: Timestamp | null;
  /**
   * The Kafka record's fingerprint, an integer in [0, 2^53) (the detector's record-fingerprint.ts:
   * key, value and timestamp); absent or null when unknown (the row is then never told apart from
   * another record at its coordinates: it counts as a redelivery, as before migration 010).
   */
  readonly fingerprint?: number | null;
}

/**
 * A NewLog validated and made storable: text with NUL and lone surrogates replaced, coordinates
 * range-checked, timestamps checked (years 1..9999) and read into ms. Only the constructor makes
 * one, so a LogRow is known to be valid: storeDetectorBatch takes it as it is (the detector checks
 * each record once, when it maps it, and hands the rows over). `ts` and `producedAt` keep the
 * caller's values (so a LogRow is still a NewLog); their instants are `tsMs` and `producedAtMs`.
 */
export class LogRow implements NewLog {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly logId: string;
  readonly ts: Timestamp;
  readonly service: string;
  readonly level: string;
  readonly message: string;
  readonly host: string | null;
  readonly traceId: string | null;
  readonly experimentId: string | null;
  readonly producerId: string | null;
  readonly label: string | null;
  readonly producedAt: Timestamp | null;
  /** `ts` in ms since the Unix epoch (an integer). */
  readonly tsMs: number;
  /** `producedAt` in ms since the Unix epoch, or null. */
  readonly producedAtMs: number | null;
  readonly fingerprint: number | null;

  /** Throws ValidationError naming the field (`what` names the row, e.g. "logs[3]"). */
  constructor(log: NewLog, what: string) {
    // Field by field, not via checkCoordinates + spread: V8 keeps one fast object shape this way.
    this.topic = requireText(log?.topic, `${what}.topic`);
    this.partition = requirePartition(log.partition, `${what}.partition`);
    this.offset = requireOffset(log.offset, `${what}.offset`);
    this.logId = requireText(log.logId, `${what}.logId`, { allowEmpty: true });
    this.ts = log.ts;
    this.tsMs = requireTimestampMs(log.ts, `${what}.ts`);
    this.service = requireText(log.service, `${what}.service`);
    this.level = requireText(log.level, `${what}.level`);
    this.message = requireText(log.message, `${what}.message`, { allowEmpty: true });
    this.host = optionalText(log.host, `${what}.host`);
    this.traceId = optionalText(log.traceId, `${what}.traceId`);
    this.experimentId = optionalText(log.experimentId, `${what}.experimentId`);
    this.producerId = optionalText(log.producerId, `${what}.producerId`);
    this.label = optionalText(log.label, `${what}.label`);
    this.producedAt = log.producedAt ?? null;
    this.producedAtMs = optionalTimestampMs(log.producedAt, `${what}.producedAt`);
    this.fingerprint = log.fingerprint === null || log.fingerprint === undefined ? null : requireInteger(log.fingerprint, `${what}.fingerprint`, 0, Number.MAX_SAFE_INTEGER);
  }
}

/** The validated row for `log`: a LogRow is returned as it is, anything else is checked. */
export function toLogRow(log: NewLog, what: string): LogRow {
  return log instanceof LogRow ? log : new LogRow(log, what);
}

const INSERT_LOGS = `
  INSERT INTO logs (log_id, ts, service, level, message, host, trace_id, experiment_id, producer_id, label,
                    topic, partition, kafka_offset, produced_at, fingerprint)
  SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                       $8::text[], $9::text[], $10::text[], $11::text[], $12::integer[], $13::bigint[], $14::timestamptz[],
                       $15::bigint[])`;

/**
 * Offsets already stored within each (topic, partition, first offset, last offset) run, with the
 * fingerprint of the record stored there: the same statement that finds a stored row says whether
 * it holds the same record. (Matches are rare outside redeliveries, so reading the column's heap
 * tuple for each match costs nothing on the common path, where the index range scan finds none.)
 * LATERAL with a LIMIT, not a plain join: once `logs` has statistics, the planner estimates a run
 * of a few hundred offsets to match hundreds of thousands of rows (it cannot know offsets are unique
 * per partition) and reads the whole table instead of the unique index, so the read grew with the
 * table (257 ms at 1 M rows, 13 s at 50 M: bench:scale). The LIMIT never binds (a run of n offsets
 * holds at most n rows) but makes each run an index range scan whatever the estimate. Exported for
 * its plan test.
 */
export const STORED_IN_RUNS = `
  SELECT l.topic, l.partition, l.kafka_offset, l.fingerprint
  FROM unnest($1::text[], $2::integer[], $3::bigint[], $4::bigint[]) AS r(topic, partition, first_offset, last_offset)
  CROSS JOIN LATERAL (
    SELECT s.topic, s.partition, s.kafka_offset, s.fingerprint FROM logs s
    WHERE s.topic = r.topic AND s.partition = r.partition AND s.kafka_offset BETWEEN r.first_offset AND r.last_offset
    LIMIT r.last_offset - r.first_offset + 1) l`;

/**
 * Largest step between consecutive offsets of one partition that stays in one run: a batch from
 * the event-source mapping has consecutive offsets (gaps only where records were filtered or are
 * transaction markers), so it makes one run per partition; a sparse hand-built batch makes more,
 * and a run never reads more than this many stored rows per row of the batch.
 */
const MAX_RUN_STEP = 64;

/**
 * What the read before the insert found among a batch's rows. Sets are keyed by coordinatesKey.
 */
export interface StoredCoordinates {
  /**
   * Rows whose coordinates hold the same record (equal fingerprints, or a fingerprint unknown on
   * either side): redeliveries, skipped.
   */
  readonly duplicates: ReadonlySet<string>;
  /** Rows whose coordinates hold a different record (both fingerprints known, unequal): not inserted. */
  readonly reused: readonly LogRow[];
  readonly reusedKeys: ReadonlySet<string>;
}

export const NOTHING_STORED: StoredCoordinates = Object.freeze({ duplicates: new Set<string>(), reused: [], reusedKeys: new Set<string>() });

/**
 * Inserts rows (already sorted by coordinates) inside the caller's transaction, in two steps: it
 * resolves once the stored coordinates are read and the INSERT is sent, with the insert's counts as
 * `done` and what the read found as `found`. The caller may work meanwhile (the detector scores the
 * batch while PostgreSQL inserts) and must await `done` before its next statement on the session.
 * Rows whose coordinates already hold the same record, or repeat an earlier row of `rows`, are
 * skipped and counted as alreadyPresent. Rows whose coordinates hold a DIFFERENT record (offset
 * reused) are skipped too, are not counted in `done`, and come back in `found.reused`: the caller
 * must keep them (storeDetectorBatch dead-letters them in the same transaction). `fresh` are the
 * rows the INSERT adds, each once: all of them are stored once `done` resolves (the insert either
 * adds every one or fails), so they are exactly what the batch adds to log_rollups.
 * Stored coordinates are read with one range scan of the unique index per run of offsets, and the
 * rest is a plain INSERT: ON CONFLICT would probe the index and write an extra WAL record for every
 * row (measured: about 28 % more PostgreSQL CPU per row).
 *
 * A concurrent transaction storing some of the same records between the read and the insert makes
 * the insert fail with a unique violation on logs_kafka_record_unique (isConcurrentLogInsert);
 * the caller retries the whole transaction, whose read then sees those rows.
 * Parameters are binary arrays (binary-arrays.ts): no element is ever parsed as SQL or array syntax.
 */
export async function sendLogInsert(session: Session, rows: readonly LogRow[]): Promise<{ done: Promise<InsertCounts>; found: StoredCoordinates; fresh: readonly LogRow[] }> {
  const { fresh, found } = await rowsNotStored(session, rows);
  const skipped = rows.length - found.reused.length;
  const done = insertRows(session, fresh).then((inserted): InsertCounts => ({ inserted, alreadyPresent: skipped - inserted }));
  return { done, found, fresh };
}

/** Sends the first chunk's INSERT before it returns (node-postgres writes a query when it is issued on an idle session). */
async function insertRows(session: Session, rows: readonly LogRow[]): Promise<number> {
  for (const chunk of chunks(rows)) {
    await session.query(INSERT_LOGS, [
      encodeTextArray(chunk.map((r) => r.logId)),
      encodeTimestampArray(chunk.map((r) => r.tsMs)),
      encodeTextArray(chunk.map((r) => r.service)),
      encodeTextArray(chunk.map((r) => r.level)),
      encodeTextArray(chunk.map((r) => r.message)),
      encodeTextArray(chunk.map((r) => r.host)),
      encodeTextArray(chunk.map((r) => r.traceId)),
      encodeTextArray(chunk.map((r) => r.experimentId)),
      encodeTextArray(chunk.map((r) => r.producerId)),
      encodeTextArray(chunk.map((r) => r.label)),
      encodeTextArray(chunk.map((r) => r.topic)),
      encodeInt4Array(chunk.map((r) => r.partition)),
      encodeInt8Array(chunk.map((r) => r.offset)),
      encodeTimestampArray(chunk.map((r) => r.producedAtMs)),
      encodeInt8Array(chunk.map((r) => r.fingerprint)),
    ]);
  }
  return rows.length;
}

/** The unique violation a concurrent writer of the same records causes in sendLogInsert: retry the transaction. */
export function isConcurrentLogInsert(error: unknown): boolean {
  const { code, constraint } = (error ?? {}) as { code?: unknown; constraint?: unknown };
  return code === '23505' && constraint === 'logs_kafka_record_unique';
}

/**
 * `rows` (sorted by coordinates) without those already stored and without repeats, in order, and
 * which of the stored ones hold the same record and which a different one.
 */
async function rowsNotStored(session: Session, rows: readonly LogRow[]): Promise<{ fresh: LogRow[]; found: StoredCoordinates }> {
  const topics: string[] = [];
  const partitions: number[] = [];
  const firsts: number[] = [];
  const lasts: number[] = [];
  let previous: LogRow | undefined;
  for (const row of rows) {
    const sameRun = previous !== undefined && previous.topic === row.topic && previous.partition === row.partition && row.offset - previous.offset <= MAX_RUN_STEP;
    if (sameRun) {
      lasts[lasts.length - 1] = row.offset;
    } else {
      topics.push(row.topic);
      partitions.push(row.partition);
      firsts.push(row.offset);
      lasts.push(row.offset);
    }
    previous = row;
  }
  const stored = await session.query<{ topic: string; partition: number; kafka_offset: string; fingerprint: string | null }>(STORED_IN_RUNS, [
    encodeTextArray(topics),
    encodeInt4Array(partitions),
    encodeInt8Array(firsts),
    encodeInt8Array(lasts),
  ]);
  if (stored.rows.length === 0) return { fresh: withoutRepeats(rows), found: NOTHING_STORED };

  // Coordinates → the stored record's fingerprint (null: unknown). A bigint comes back as text;
  // a fingerprint is below 2^53, so Number() is exact.
  const present = new Map<string, number | null>();
  for (const hit of stored.rows) {
    present.set(coordinatesKey({ topic: hit.topic, partition: hit.partition, offset: Number(hit.kafka_offset) }), hit.fingerprint === null ? null : Number(hit.fingerprint));
  }
  const fresh: LogRow[] = [];
  const duplicates = new Set<string>();
  const reused: LogRow[] = [];
  const reusedKeys = new Set<string>();
  let last: LogRow | undefined;
  for (const row of rows) {
    const repeat = last !== undefined && compareCoordinates(last, row) === 0;
    last = row;
    if (repeat) continue;
    const key = coordinatesKey(row);
    const storedFingerprint = present.get(key);
    if (storedFingerprint === undefined) {
      fresh.push(row);
    } else if (storedFingerprint === null || row.fingerprint === null || storedFingerprint === row.fingerprint) {
      duplicates.add(key);
    } else {
      reused.push(row);
      reusedKeys.add(key);
    }
  }
  return { fresh, found: { duplicates, reused, reusedKeys } };
}

/** `rows` (sorted by coordinates) with a row repeating the previous one's coordinates left out. */
function withoutRepeats(rows: readonly LogRow[]): LogRow[] {
  const kept: LogRow[] = [];
  let last: LogRow | undefined;
  for (const row of rows) {
    if (last === undefined || compareCoordinates(last, row) !== 0) kept.push(row);
    last = row;
  }
  return kept;
}
