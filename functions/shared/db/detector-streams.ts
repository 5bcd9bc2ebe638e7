/**
 * Rows of `detector_streams`: the detector's feature state per ordered stream of records (a Kafka
 * topic-partition, keyed "<topic>-<partition>"), with the model version it was learned against,
 * the offset up to which it has learned the stream, and a revision.
 *
 * Written only inside the transaction that stores the stream's batch (storeDetectorBatch), by
 * compare-and-set: a row is inserted when the writer read none, or updated when its revision is
 * still the one the writer read (and the revision goes up by one). When another writer got there
 * first nothing is written and StreamConflictError is thrown, so the whole batch rolls back and
 * the caller re-reads the state and tries again. Rows are written in key order, so two batches
 * covering the same streams cannot deadlock on them.
 */
import { StreamConflictError, ValidationError } from '../errors.js';
import type { Db } from './pool.js';
import type { Session } from './transaction.js';
import { withDatabaseErrors } from './database-errors.js';
import { requireInteger, requireOffset, requireText } from './input-checks.js';
import { jsonbText } from './jsonb-text.js';

/** Longest stream key, in characters (the table's CHECK): a Kafka topic name is at most 249. */
export const MAX_STREAM_KEY_LENGTH = 300;
/** Longest model version (as in the models table). */
export const MAX_MODEL_VERSION_LENGTH = 200;
/** Largest state, as UTF-8 JSON text (the table's CHECK is the same bound on the stored jsonb). */
export const MAX_STREAM_STATE_BYTES = 4 * 1024 * 1024;

/** A stream's row as read. */
export interface StoredDetectorStream {
  /** False: the row's state is here (see UnchangedDetectorStream). */
  readonly unchanged: false;
  readonly modelVersion: string;
  /** One past the highest offset whose record the state has learned. */
  readonly nextOffset: number;
  readonly revision: number;
  /** The feature set's JSON, parsed. */
  readonly state: unknown;
  /** The stored state's size in bytes (pg_column_size): what holding it in memory roughly costs. */
  readonly stateBytes: number;
}

/** A stream whose revision is still the one the reader holds: its state is not sent again. */
export interface UnchangedDetectorStream {
  readonly unchanged: true;
  readonly revision: number;
}

/** What a batch writes for one stream. */
export interface StreamWrite {
  /** "<topic>-<partition>". */
  readonly key: string;
  /** The revision the writer read; null when the stream had no row (the row is then inserted). */
  readonly expectedRevision: number | null;
  readonly modelVersion: string;
  readonly nextOffset: number;
  /** Plain JSON (the feature set's stream state). */
  readonly state: unknown;
}

/**
 * A StreamWrite checked and made storable: the state as jsonb text (NUL and lone surrogates
 * replaced, see text-safety.ts) within MAX_STREAM_STATE_BYTES. Only the constructor makes one, so
 * storeDetectorBatch takes it as it is (so a StreamRow is still a StreamWrite). `stateText` is exactly what PostgreSQL stores: a caller that
 * keeps the state in memory after the commit keeps `JSON.parse(stateText)`, which is what a later
 * read returns.
 */
export class StreamRow implements StreamWrite {
  readonly key: string;
  readonly expectedRevision: number | null;
  readonly modelVersion: string;
  readonly nextOffset: number;
  /** The caller's state, as given. */
  readonly state: unknown;
  readonly stateText: string;
  /** UTF-8 bytes of stateText. */
  readonly stateBytes: number;

  /** Throws ValidationError naming the field (`what` names the write, e.g. "streams[0]"). */
  constructor(write: StreamWrite, what: string) {
    this.key = requireStreamKey(write?.key, `${what}.key`);
    this.expectedRevision = write.expectedRevision === null ? null : requireInteger(write.expectedRevision, `${what}.expectedRevision`, 0, Number.MAX_SAFE_INTEGER - 1);
    const version = requireText(write.modelVersion, `${what}.modelVersion`);
    if (version.length > MAX_MODEL_VERSION_LENGTH) throw new ValidationError(`${what}.modelVersion is longer than ${MAX_MODEL_VERSION_LENGTH} characters`);
    this.modelVersion = version;
    this.nextOffset = requireOffset(write.nextOffset, `${what}.nextOffset`);
    if (write.state === undefined) throw new ValidationError(`${what}.state must be JSON (got undefined)`);
    this.state = write.state;
    this.stateText = jsonbText(write.state, `${what}.state`);
    this.stateBytes = Buffer.byteLength(this.stateText, 'utf8');
    if (this.stateBytes > MAX_STREAM_STATE_BYTES) {
      throw new ValidationError(`${what}.state of stream ${quoted(this.key)} is ${this.stateBytes} bytes of JSON, over the ${MAX_STREAM_STATE_BYTES}-byte limit`);
    }
  }
}

/** The checked row for `write`: a StreamRow is returned as it is, anything else is checked. */
export function toStreamRow(write: StreamWrite, what: string): StreamRow {
  return write instanceof StreamRow ? write : new StreamRow(write, what);
}

/**
 * A stream key as stored: 1..MAX_STREAM_KEY_LENGTH characters, no NUL and no lone surrogate.
 * Refused rather than repaired (a repaired key could name another stream). Any other character
 * is fine: keys are only ever SQL parameters.
 */
export function requireStreamKey(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new ValidationError(`${what} must be a string (got ${value === null ? 'null' : typeof value})`);
  if (value.length === 0) throw new ValidationError(`${what} must not be empty`);
  if (value.length > MAX_STREAM_KEY_LENGTH) throw new ValidationError(`${what} is longer than ${MAX_STREAM_KEY_LENGTH} characters: ${quoted(value)}`);
  if (UNSTORABLE_KEY.test(value)) throw new ValidationError(`${what} holds a NUL or a lone UTF-16 surrogate, which PostgreSQL text cannot store: ${quoted(value)}`);
  return value;
}

const UNSTORABLE_KEY = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The start of a key, quoted as JSON (so control characters show), for messages. */
function quoted(key: string): string {
  return JSON.stringify(key.length > 64 ? `${key.slice(0, 64)}…` : key);
}

/** Rows of the keys ($1); a row whose revision is the one the reader holds ($2, null: none) comes without its state. */
const SELECT_STREAMS = `
  SELECT stream_key, revision, held,
         CASE WHEN held THEN NULL ELSE model_version END AS model_version,
         CASE WHEN held THEN NULL ELSE next_offset END AS next_offset,
         CASE WHEN held THEN NULL ELSE state END AS state,
         CASE WHEN held THEN NULL ELSE pg_column_size(state) END AS state_bytes
  FROM (SELECT d.stream_key, d.revision, d.model_version, d.next_offset, d.state, (d.revision = k.held_revision) IS TRUE AS held
        FROM unnest($1::text[], $2::bigint[]) AS k(stream_key, held_revision)
        JOIN detector_streams d ON d.stream_key = k.stream_key) AS r`;

/**
 * The rows of `keys` that exist (absent keys are absent from the map), in one query. For a key of
 * `held` (key → the revision the caller already has) whose row is still at that revision only the
 * revision comes back (UnchangedDetectorStream): a warm container checks its cached states without
 * reading them again.
 */
export async function readDetectorStreams(
  db: Db,
  keys: readonly string[],
  held: ReadonlyMap<string, number> = new Map(),
): Promise<Map<string, StoredDetectorStream | UnchangedDetectorStream>> {
  if (!Array.isArray(keys)) throw new ValidationError('readDetectorStreams: keys must be an array');
  const wanted = [...new Set(keys.map((key, i) => requireStreamKey(key, `keys[${i}]`)))];
  const streams = new Map<string, StoredDetectorStream | UnchangedDetectorStream>();
  if (wanted.length === 0) return streams;
  const revisions = wanted.map((key) => held.get(key) ?? null);
  const result = await withDatabaseErrors('readDetectorStreams', () =>
    db.query<{ stream_key: string; revision: string; held: boolean; model_version: string; next_offset: string; state: unknown; state_bytes: number }>(SELECT_STREAMS, [wanted, revisions]),
  );
  for (const row of result.rows) {
    const revision = Number(row.revision);
    if (row.held) {
      streams.set(row.stream_key, { unchanged: true, revision });
      continue;
    }
    streams.set(row.stream_key, {
      unchanged: false,
      modelVersion: row.model_version,
      nextOffset: Number(row.next_offset),
      revision,
      state: row.state,
      stateBytes: Number(row.state_bytes),
    });
  }
  return streams;
}

const INSERT_STREAM = `
  INSERT INTO detector_streams (stream_key, model_version, next_offset, revision, state)
  VALUES ($1, $2, $3, 0, $4::jsonb)
  ON CONFLICT (stream_key) DO NOTHING`;

const UPDATE_STREAM = `
  UPDATE detector_streams
  SET model_version = $3, next_offset = $4, state = $5::jsonb, revision = revision + 1, updated_at = now()
  WHERE stream_key = $1 AND revision = $2`;

/** Most streams a training folds in (a topic has at most this many partitions in practice). */
export const MAX_STREAMS_PER_MODEL = 1000;

/**
 * The states of the streams learned against `modelVersion` (the newest written first, at most
 * `limit`): what the next model folds in. Rows of other versions are streams that have not moved
 * to that model yet, or moved past it.
 */
export async function readStreamStatesOfModel(db: Db, modelVersion: string, limit = MAX_STREAMS_PER_MODEL): Promise<unknown[]> {
  const version = requireText(modelVersion, 'modelVersion');
  if (version.length > MAX_MODEL_VERSION_LENGTH) throw new ValidationError(`modelVersion is longer than ${MAX_MODEL_VERSION_LENGTH} characters`);
  const cap = requireInteger(limit, 'limit', 1, MAX_STREAMS_PER_MODEL);
  const result = await withDatabaseErrors('readStreamStatesOfModel', () =>
    db.query<{ state: unknown }>('SELECT state FROM detector_streams WHERE model_version = $1 ORDER BY updated_at DESC LIMIT $2', [version, cap]),
  );
  return result.rows.map((row) => row.state);
}

/**
 * Writes each stream's row inside the caller's transaction, in key order: inserted (revision 0)
 * when `expectedRevision` is null, else updated (revision + 1) if its revision is still the
 * expected one. Throws StreamConflictError, having written that row not at all, when a row exists
 * that the writer did not read or its revision moved: the caller must roll back. Other failures
 * come as PipelineErrors (toPipelineError).
 */
export async function writeDetectorStreams(session: Session, writes: readonly StreamWrite[]): Promise<void> {
  const rows = writes.map((write, i) => toStreamRow(write, `streams[${i}]`)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (let i = 1; i < rows.length; i++) {
    if (rows[i]!.key === rows[i - 1]!.key) throw new ValidationError(`stream ${quoted(rows[i]!.key)} is written twice in one batch`);
  }
  for (const row of rows) {
    const result = await withDatabaseErrors('writeDetectorStreams', () =>
      row.expectedRevision === null
        ? session.query(INSERT_STREAM, [row.key, row.modelVersion, row.nextOffset, row.stateText])
        : session.query(UPDATE_STREAM, [row.key, row.expectedRevision, row.modelVersion, row.nextOffset, row.stateText]),
    );
    if (result.rowCount !== 1) {
      const read = row.expectedRevision === null ? 'no row' : `revision ${row.expectedRevision}`;
      throw new StreamConflictError(`detector stream ${quoted(row.key)} was written by another transaction since it was read (${read}); nothing of the batch is stored`);
    }
  }
}
