/**
 * `log_rollups` (migration 011): per minute of stored_at and per (topic, partition, service, level),
 * how many logs are stored and how many of them have an anomaly. The migration states the invariant;
 * this module keeps it: a transaction that adds or deletes raw rows collects what it really added or
 * deleted in a LogRollupDeltas, and applies it with ONE statement before it commits.
 *
 * Lock order: the statement upserts its keys sorted (minute, topic, partition, service, level), and a
 * transaction applies log rollups before dead-letter rollups, after all its raw rows. Two transactions
 * can only share a key when they write the same partition (keys include it), and then both lock in
 * the same order: no deadlock. Different partitions never wait for each other here.
 */
import type { Session } from './transaction.js';
import type { LogRow } from './log-rows.js';
import { encodeInt4Array, encodeInt8Array, encodeTextArray, encodeTimestampArray } from './binary-arrays.js';

/** One key's change. minute null: the current transaction's minute (stored_at defaults to now()). */
export interface LogRollupDelta {
  readonly minute: Date | null;
  readonly topic: string;
  readonly partition: number;
  readonly service: string;
  readonly level: string;
  /** Logs added (negative: deleted). */
  logs: number;
  /** Anomalies added on logs of this key (negative: deleted). */
  anomalies: number;
}

/** A group the database returns: the key of the logs some statement touched (minute = their stored_at's). */
export interface LogRollupKey {
  readonly minute: Date;
  readonly topic: string;
  readonly partition: number;
  readonly service: string;
  readonly level: string;
}

/**
 * The grouped key of a statement's rows, for SQL that reads logs as `l` (SELECT list and GROUP BY):
 * the rows it yields are LogRollupKeys.
 */
export const LOG_ROLLUP_KEY_OF_L = `date_trunc('minute', l.stored_at) AS minute, l.topic, l.partition, l.service, l.level`;

/** Changes to log_rollups collected by one transaction; merged per key. */
export class LogRollupDeltas {
  private readonly byKey = new Map<string, LogRollupDelta>();

  /**
   * Logs the transaction inserted (stored_at = its now()), sorted by coordinates as the batch is:
   * counted per run of one topic-partition by service, then level (two Map lookups per row, no
   * string built per row: this runs on every stored log).
   */
  addInsertedLogs(rows: readonly LogRow[]): void {
    let i = 0;
    while (i < rows.length) {
      const { topic, partition } = rows[i]!;
      const byService = new Map<string, Map<string, number>>();
      for (; i < rows.length && rows[i]!.partition === partition && rows[i]!.topic === topic; i++) {
        const row = rows[i]!;
        let byLevel = byService.get(row.service);
        if (byLevel === undefined) byService.set(row.service, (byLevel = new Map()));
        byLevel.set(row.level, (byLevel.get(row.level) ?? 0) + 1);
      }
      for (const [service, byLevel] of byService) {
        for (const [level, logs] of byLevel) this.delta(null, topic, partition, service, level).logs += logs;
      }
    }
  }

  /** Logs (with their anomalies, which cascade) a statement deleted, per key. */
  addLogs(key: LogRollupKey, logs: number): void {
    if (logs !== 0) this.delta(key.minute, key.topic, key.partition, key.service, key.level).logs += logs;
  }

  /** Anomalies added (or, negative, deleted) on logs of `key`. */
  addAnomalies(key: LogRollupKey, anomalies: number): void {
    if (anomalies !== 0) this.delta(key.minute, key.topic, key.partition, key.service, key.level).anomalies += anomalies;
  }

  get isEmpty(): boolean {
    return this.byKey.size === 0;
  }

  list(): LogRollupDelta[] {
    return [...this.byKey.values()];
  }

  private delta(minute: Date | null, topic: string, partition: number, service: string, level: string): LogRollupDelta {
    // NUL never occurs in stored text (text-safety.ts), so it separates the parts unambiguously.
    const key = `${minute === null ? '' : minute.getTime()}\u0000${topic}\u0000${partition}\u0000${service}\u0000${level}`;
    let delta = this.byKey.get(key);
    if (delta === undefined) {
      delta = { minute, topic, partition, service, level, logs: 0, anomalies: 0 };
      this.byKey.set(key, delta);
    }
    return delta;
  }
}

/**
 * Adds the deltas to their rows (creating missing ones), in key order. GROUP BY merges keys that
 * are equal only once the current minute is filled in (a delta of null minute and one of the same
 * minute read back from stored_at): ON CONFLICT may touch each row once per statement.
 */
const APPLY = `
  INSERT INTO log_rollups AS r (minute, topic, partition, service, level, logs, anomalies)
  SELECT COALESCE(d.minute, date_trunc('minute', now())), d.topic, d.partition, d.service, d.level, sum(d.logs), sum(d.anomalies)
  FROM unnest($1::timestamptz[], $2::text[], $3::integer[], $4::text[], $5::text[], $6::bigint[], $7::bigint[])
       AS d(minute, topic, partition, service, level, logs, anomalies)
  GROUP BY 1, 2, 3, 4, 5
  ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (minute, topic, partition, service, level) DO UPDATE
    SET logs = r.logs + EXCLUDED.logs, anomalies = r.anomalies + EXCLUDED.anomalies`;

/** Rows of the given keys left with nothing to count (after deletions). */
const PRUNE = `
  DELETE FROM log_rollups r
  USING unnest($1::timestamptz[], $2::text[], $3::integer[], $4::text[], $5::text[]) AS k(minute, topic, partition, service, level)
  WHERE r.minute = k.minute AND r.topic = k.topic AND r.partition = k.partition AND r.service = k.service AND r.level = k.level
    AND r.logs <= 0 AND r.anomalies <= 0`;

/** Applies the transaction's deltas (one statement; none when there are none). */
export async function applyLogRollups(session: Session, deltas: LogRollupDeltas): Promise<void> {
  if (deltas.isEmpty) return;
  const list = deltas.list();
  await session.query(APPLY, [...keyArrays(list), encodeInt8Array(list.map((d) => d.logs)), encodeInt8Array(list.map((d) => d.anomalies))]);
}

/** Applies deltas that delete (retention), then deletes the rows they emptied: two statements. */
export async function subtractLogRollups(session: Session, deltas: LogRollupDeltas): Promise<void> {
  if (deltas.isEmpty) return;
  await applyLogRollups(session, deltas);
  await session.query(PRUNE, keyArrays(deltas.list()));
}

function keyArrays(list: readonly LogRollupDelta[]): Buffer[] {
  return [
    encodeTimestampArray(list.map((d) => (d.minute === null ? null : d.minute.getTime()))),
    encodeTextArray(list.map((d) => d.topic)),
    encodeInt4Array(list.map((d) => d.partition)),
    encodeTextArray(list.map((d) => d.service)),
    encodeTextArray(list.map((d) => d.level)),
  ];
}
