/**
 * Dead letters: Kafka records a component could not process (malformed, hostile, oversize), kept
 * byte-for-byte (bytea) with the reason. Unique on (topic, partition, kafka_offset, component): a
 * redelivered bad record is recorded once per component. Every insert keeps dead_letter_rollups
 * (per-minute counts, migration 011) in the same transaction.
 */
import { ValidationError } from '../errors.js';
import type { Db } from './pool.js';
import { withTransaction, type Session } from './transaction.js';
import { withDatabaseErrors } from './database-errors.js';
import { chunks, type InsertCounts, NO_ROWS } from './insert-counts.js';
import { checkCoordinates, compareCoordinates, type KafkaCoordinates } from './kafka-coordinates.js';
import { optionalTimestampMs, requireArray, requireInteger, requireText, type Timestamp } from './input-checks.js';
import { jsonbText } from './jsonb-text.js';
import { applyDeadLetterRollups, DEAD_LETTER_ROLLUP_KEY_OF_D, DeadLetterRollupDeltas, type DeadLetterRollupKey } from './dead-letter-rollups.js';
import { encodeByteaArray, encodeInt4Array, encodeInt8Array, encodeTextArray, encodeTimestampArray } from './binary-arrays.js';

export interface NewDeadLetter extends KafkaCoordinates {
  readonly rawKey: Uint8Array | null;
  readonly rawValue: Uint8Array | null;
  /** The record's headers as JSON (e.g. [{ key, valueBase64 }]); NUL and lone surrogates in strings become U+FFFD. */
  readonly headers: unknown;
  /** Why it was refused; longer reasons are cut to MAX_REASON_LENGTH characters. */
  readonly reason: string;
  /** Which component refused it: "detector", "metrics-aggregator", ... */
  readonly component: string;
  /** Defaults to the database's now(). */
  readonly receivedAt?: Timestamp | null;
}

export interface StoredDeadLetter extends KafkaCoordinates {
  readonly id: number;
  readonly rawKey: Buffer | null;
  readonly rawValue: Buffer | null;
  readonly headers: unknown;
  readonly reason: string;
  readonly component: string;
  readonly receivedAt: string;
}

export interface DeadLetterRow extends KafkaCoordinates {
  readonly rawKey: Buffer | null;
  readonly rawValue: Buffer | null;
  readonly headers: string;
  readonly reason: string;
  readonly component: string;
  /** ms since the Unix epoch; null = the database's now(). */
  readonly receivedAtMs: number | null;
}

export const MAX_REASON_LENGTH = 4_000;

export function toDeadLetterRow(letter: NewDeadLetter, what: string): DeadLetterRow {
  const reason = requireText(letter.reason, `${what}.reason`);
  const coordinates = checkCoordinates(letter, what);
  return {
    topic: coordinates.topic,
    partition: coordinates.partition,
    offset: coordinates.offset,
    rawKey: toBuffer(letter.rawKey, `${what}.rawKey`),
    rawValue: toBuffer(letter.rawValue, `${what}.rawValue`),
    headers: jsonbText(letter.headers ?? [], `${what}.headers`),
    reason: reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH - 1)}…` : reason,
    component: requireText(letter.component, `${what}.component`),
    receivedAtMs: optionalTimestampMs(letter.receivedAt, `${what}.receivedAt`),
  };
}

/**
 * The insert, and what it really added (RETURNING: a redelivered letter adds nothing) grouped by
 * dead_letter_rollups' key, in one statement.
 */
const INSERT_DEAD_LETTERS = `
  WITH added AS (
    INSERT INTO dead_letters (topic, partition, kafka_offset, raw_key, raw_value, headers, reason, component, received_at)
    SELECT d.topic, d.partition, d.kafka_offset, d.raw_key, d.raw_value, d.headers::jsonb, d.reason, d.component,
           COALESCE(d.received_at, now())
    FROM unnest($1::text[], $2::integer[], $3::bigint[], $4::bytea[], $5::bytea[], $6::text[], $7::text[], $8::text[],
                $9::timestamptz[])
         AS d(topic, partition, kafka_offset, raw_key, raw_value, headers, reason, component, received_at)
    ON CONFLICT (topic, partition, kafka_offset, component) DO NOTHING
    RETURNING received_at, topic, partition, component)
  SELECT ${DEAD_LETTER_ROLLUP_KEY_OF_D}, count(*)::int AS added FROM added d GROUP BY 1, 2, 3, 4`;

/**
 * Inserts rows (sorted by coordinates) inside the caller's transaction (binary array parameters),
 * adding what it inserted to `rollups`; the caller applies them (applyDeadLetterRollups) before it commits.
 */
export async function insertDeadLetterRows(session: Session, rows: readonly DeadLetterRow[], rollups: DeadLetterRollupDeltas): Promise<InsertCounts> {
  let inserted = 0;
  for (const chunk of chunks(rows)) {
    const result = await session.query<DeadLetterRollupKey & { added: number }>(INSERT_DEAD_LETTERS, [
      encodeTextArray(chunk.map((r) => r.topic)),
      encodeInt4Array(chunk.map((r) => r.partition)),
      encodeInt8Array(chunk.map((r) => r.offset)),
      encodeByteaArray(chunk.map((r) => r.rawKey)),
      encodeByteaArray(chunk.map((r) => r.rawValue)),
      encodeTextArray(chunk.map((r) => r.headers)),
      encodeTextArray(chunk.map((r) => r.reason)),
      encodeTextArray(chunk.map((r) => r.component)),
      encodeTimestampArray(chunk.map((r) => r.receivedAtMs)),
    ]);
    for (const group of result.rows) {
      inserted += group.added;
      rollups.add(group, group.added);
    }
  }
  return { inserted, alreadyPresent: rows.length - inserted };
}

/** Stores dead letters on their own (one transaction, with their rollups); idempotent. */
export async function insertDeadLetters(db: Db, letters: readonly NewDeadLetter[]): Promise<InsertCounts> {
  const rows = requireArray(letters, 'deadLetters')
    .map((letter, i) => toDeadLetterRow(letter, `deadLetters[${i}]`))
    .sort(compareCoordinates);
  if (rows.length === 0) return NO_ROWS;
  return withDatabaseErrors('insertDeadLetters', () =>
    withTransaction(db, async (session) => {
      const rollups = new DeadLetterRollupDeltas();
      const counts = await insertDeadLetterRows(session, rows, rollups);
      await applyDeadLetterRollups(session, rollups);
      return counts;
    }),
  );
}

/** The newest dead letters first, optionally of one component. */
export async function listDeadLetters(db: Db, options: { limit: number; component?: string }): Promise<StoredDeadLetter[]> {
  const limit = requireInteger(options?.limit, 'limit', 1, 10_000);
  const component = options.component === undefined ? null : requireText(options.component, 'component');
  const result = await withDatabaseErrors('listDeadLetters', () =>
    db.query(
      `SELECT id, topic, partition, kafka_offset, raw_key, raw_value, headers, reason, component, received_at
       FROM dead_letters WHERE ($1::text IS NULL OR component = $1) ORDER BY received_at DESC, id DESC LIMIT $2`,
      [component, limit],
    ),
  );
  return result.rows.map((row) => ({
    id: Number(row.id),
    topic: row.topic,
    partition: row.partition,
    offset: Number(row.kafka_offset),
    rawKey: row.raw_key,
    rawValue: row.raw_value,
    headers: row.headers,
    reason: row.reason,
    component: row.component,
    receivedAt: (row.received_at as Date).toISOString(),
  }));
}

function toBuffer(value: Uint8Array | null | undefined, what: string): Buffer | null {
  if (value === null || value === undefined) return null;
  if (!(value instanceof Uint8Array)) throw new ValidationError(`${what} must be a Uint8Array/Buffer or null`);
  return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}
