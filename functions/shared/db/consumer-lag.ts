/**
 * Consumer lag samples: how far a consumer group member is behind the log end of one partition at
 * one instant. Unique on (consumer_id, topic, partition, timestamp): a resent sample adds nothing.
 */
import type { Db } from './pool.js';
import { withTransaction } from './transaction.js';
import { withDatabaseErrors } from './database-errors.js';
import { chunks, NO_ROWS, type InsertCounts } from './insert-counts.js';
import { optionalText, requireArray, requireInteger, requirePartition, requireText, requireTimestamp, type Timestamp } from './input-checks.js';

export interface NewConsumerLag {
  readonly experimentId: string | null;
  readonly consumerId: string;
  readonly topic: string;
  readonly partition: number;
  /** The consumer's committed (or current) offset; -1 when it has committed none yet. */
  readonly currentOffset: number;
  readonly logEndOffset: number;
  /** Records behind: log end offset − current offset, never negative. */
  readonly lag: number;
  readonly timestamp: Timestamp;
}

interface LagRow {
  readonly experimentId: string | null;
  readonly consumerId: string;
  readonly topic: string;
  readonly partition: number;
  readonly currentOffset: number;
  readonly logEndOffset: number;
  readonly lag: number;
  readonly timestamp: string;
}

function toLagRow(sample: NewConsumerLag, what: string): LagRow {
  return {
    experimentId: optionalText(sample?.experimentId, `${what}.experimentId`),
    consumerId: requireText(sample.consumerId, `${what}.consumerId`),
    topic: requireText(sample.topic, `${what}.topic`),
    partition: requirePartition(sample.partition, `${what}.partition`),
    currentOffset: requireInteger(sample.currentOffset, `${what}.currentOffset`, -1, Number.MAX_SAFE_INTEGER),
    logEndOffset: requireInteger(sample.logEndOffset, `${what}.logEndOffset`, 0, Number.MAX_SAFE_INTEGER),
    lag: requireInteger(sample.lag, `${what}.lag`, 0, Number.MAX_SAFE_INTEGER),
    timestamp: requireTimestamp(sample.timestamp, `${what}.timestamp`),
  };
}

const INSERT_LAG = `
  INSERT INTO consumer_lag (experiment_id, consumer_id, topic, partition, current_offset, log_end_offset, lag, "timestamp")
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::integer[], $5::bigint[], $6::bigint[], $7::bigint[],
                       $8::timestamptz[])
  ON CONFLICT (consumer_id, topic, partition, "timestamp") DO NOTHING`;

export async function insertConsumerLag(db: Db, samples: readonly NewConsumerLag[]): Promise<InsertCounts> {
  const rows = requireArray(samples, 'samples').map((sample, i) => toLagRow(sample, `samples[${i}]`));
  const sortKey = (r: LagRow): string => `${r.consumerId}\u0001${r.topic}\u0001${r.partition}\u0001${r.timestamp}`;
  // The same sample twice in one call (e.g. a metrics record produced twice by a retrying producer)
  // is one sample: the first is kept, the rest count as already present.
  const unique = new Map<string, LagRow>();
  for (const row of rows) if (!unique.has(sortKey(row))) unique.set(sortKey(row), row);
  if (rows.length === 0) return NO_ROWS;
  const ordered = [...unique.values()].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));

  return withDatabaseErrors('insertConsumerLag', () =>
    withTransaction(db, async (session) => {
      let inserted = 0;
      for (const chunk of chunks(ordered)) {
        const result = await session.query(INSERT_LAG, [
          chunk.map((r) => r.experimentId),
          chunk.map((r) => r.consumerId),
          chunk.map((r) => r.topic),
          chunk.map((r) => r.partition),
          chunk.map((r) => r.currentOffset),
          chunk.map((r) => r.logEndOffset),
          chunk.map((r) => r.lag),
          chunk.map((r) => r.timestamp),
        ]);
        inserted += result.rowCount ?? 0;
      }
      return { inserted, alreadyPresent: rows.length - inserted };
    }),
  );
}
