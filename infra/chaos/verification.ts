/**
 * What the chaos run checks once the pipeline has drained: was every produced record stored
 * exactly once in `logs`?
 *
 * Records are told apart by the payload id the producer gave them (`chaos-<n>`, kept in
 * logs.log_id), not by Kafka coordinates: a record stored under two different coordinates is
 * one record stored twice. The producer's records are exactly chaos-0 … chaos-(produced − 1)
 * (producer.ts says why), so:
 *
 * - lost:       ids in that range with no row in `logs`;
 * - duplicated: ids with more than one row in `logs` (however the second copy came about: a
 *               record that reached the topic twice, or one stored under reused coordinates);
 * - unexpected: rows whose id is outside that range (none should exist: the database is the run's own).
 *
 * Lost records found in `dead_letters` (the detector refused them, or set them aside as
 * "offset reused") are counted separately, by reason, from the id in their kept payload.
 */
import type pg from 'pg';
import { recordIdPattern } from './producer.js';

export interface StoredCensus {
  /** Rows in `logs`. */
  readonly stored: number;
  /** Distinct produced ids with at least one row. */
  readonly storedIds: number;
  readonly lost: number;
  readonly duplicated: number;
  /** Rows beyond one per id (0 when duplicated is 0). */
  readonly extraRows: number;
  readonly unexpected: number;
  /** Dead letters by reason (all of them, whatever their id). */
  readonly deadLetters: Record<string, number>;
  /** Lost ids found in dead_letters, by reason. */
  readonly lostDeadLettered: Record<string, number>;
  /** Up to `examples` lost ids, smallest first. */
  readonly lostExamples: readonly string[];
  /** Up to `examples` duplicated ids with where each copy is stored ("partition:offset"). */
  readonly duplicatedExamples: ReadonlyArray<{ id: string; rows: string[] }>;
}

/** Counts what `logs` holds of chaos-0 … chaos-(produced − 1). */
export async function censusOfStored(db: pg.Pool, produced: number, examples = 10): Promise<StoredCensus> {
  const { rows } = await db.query<{ stored: string; stored_ids: string; duplicated: string; extra_rows: string; unexpected: string }>(
    `WITH ids AS (
       SELECT log_id, count(*) AS copies,
              -- CASE, not AND: the cast must only see ids that match (AND may evaluate it first).
              CASE WHEN log_id ~ $2 THEN substring(log_id FROM 7)::bigint < $1 ELSE false END AS ours
         FROM logs GROUP BY log_id
     )
     SELECT coalesce(sum(copies), 0) AS stored,
            count(*) FILTER (WHERE ours) AS stored_ids,
            count(*) FILTER (WHERE ours AND copies > 1) AS duplicated,
            coalesce(sum(copies - 1) FILTER (WHERE ours), 0) AS extra_rows,
            coalesce(sum(copies) FILTER (WHERE NOT ours), 0) AS unexpected
       FROM ids`,
    [produced, recordIdPattern],
  );
  const row = rows[0]!;
  const storedIds = Number(row.stored_ids);
  const duplicated = Number(row.duplicated);
  const lost = produced - storedIds;
  const deadLetters = await countBy(db, `SELECT reason AS key, count(*) AS n FROM dead_letters GROUP BY reason`);
  const lostDeadLettered = lost === 0 ? {} : await countBy(
    db,
    `WITH lettered AS (
       SELECT DISTINCT ON (id) id, reason FROM (
         SELECT substring(convert_from(raw_value, 'UTF8') FROM '"id":"(chaos-[0-9]{1,15})"') AS id, reason
           FROM dead_letters WHERE raw_value IS NOT NULL) found
        WHERE id IS NOT NULL ORDER BY id, reason)
     SELECT reason AS key, count(*) AS n FROM lettered
      WHERE NOT EXISTS (SELECT 1 FROM logs WHERE logs.log_id = lettered.id)
      GROUP BY reason`,
  );
  const lostExamples =
    lost === 0
      ? []
      : (
          await db.query<{ id: string }>(
            `SELECT 'chaos-' || n AS id FROM generate_series(0::bigint, $1::bigint - 1) AS n
               LEFT JOIN (SELECT DISTINCT log_id FROM logs) stored ON stored.log_id = 'chaos-' || n
              WHERE stored.log_id IS NULL ORDER BY n LIMIT $2`,
            [produced, examples],
          )
        ).rows.map((example) => example.id);
  const duplicatedExamples =
    duplicated === 0
      ? []
      : (
          await db.query<{ id: string; rows: string[] }>(
            `SELECT log_id AS id, array_agg(partition || ':' || kafka_offset ORDER BY partition, kafka_offset) AS rows
               FROM logs GROUP BY log_id HAVING count(*) > 1 ORDER BY min(id) LIMIT $1`,
            [examples],
          )
        ).rows;
  return {
    stored: Number(row.stored),
    storedIds,
    lost,
    duplicated,
    extraRows: Number(row.extra_rows),
    unexpected: Number(row.unexpected),
    deadLetters,
    lostDeadLettered,
    lostExamples,
    duplicatedExamples,
  };
}

async function countBy(db: pg.Pool, sql: string): Promise<Record<string, number>> {
  const { rows } = await db.query<{ key: string; n: string }>(sql);
  return Object.fromEntries(rows.map((row) => [row.key, Number(row.n)]));
}

/** Per produced id, its rows in `logs` (capped at 255): for telling problems apart (topic-census.ts). */
export async function storedCopies(db: pg.Pool, produced: number): Promise<Uint8Array> {
  const copies = new Uint8Array(produced);
  const { rows } = await db.query<{ n: string; copies: string }>(
    `SELECT substring(log_id FROM 7)::bigint AS n, count(*) AS copies FROM logs WHERE log_id ~ $1 GROUP BY 1`,
    [recordIdPattern],
  );
  for (const row of rows) {
    const n = Number(row.n);
    if (n < produced) copies[n] = Math.min(255, Number(row.copies));
  }
  return copies;
}
