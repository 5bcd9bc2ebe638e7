/**
 * `dead_letter_rollups` (migration 011): per minute of received_at and per (topic, partition,
 * component), how many dead letters are stored. Kept like log_rollups (log-rollups.ts): a transaction
 * collects what its statements really inserted or deleted and applies it with ONE statement, keys
 * sorted, after its log rollups. Each (topic, partition, component) has one writer at a time (the
 * component's poller of that partition), so batches of different partitions never share a row.
 */
import type { Session } from './transaction.js';
import { encodeInt4Array, encodeInt8Array, encodeTextArray, encodeTimestampArray } from './binary-arrays.js';

/** A group the database returns: the key of the dead letters a statement touched. */
export interface DeadLetterRollupKey {
  readonly minute: Date;
  readonly topic: string;
  readonly partition: number;
  readonly component: string;
}

/** The grouped key for SQL over dead letters `d` (SELECT list and GROUP BY): its rows are DeadLetterRollupKeys. */
export const DEAD_LETTER_ROLLUP_KEY_OF_D = `date_trunc('minute', d.received_at) AS minute, d.topic, d.partition, d.component`;

interface Delta extends DeadLetterRollupKey {
  deadLetters: number;
}

/** Changes to dead_letter_rollups collected by one transaction; merged per key. */
export class DeadLetterRollupDeltas {
  private readonly byKey = new Map<string, Delta>();

  /** Dead letters added (negative: deleted) under `key`. */
  add(key: DeadLetterRollupKey, deadLetters: number): void {
    if (deadLetters === 0) return;
    const id = `${key.minute.getTime()}\u0000${key.topic}\u0000${key.partition}\u0000${key.component}`;
    let delta = this.byKey.get(id);
    if (delta === undefined) {
      delta = { minute: key.minute, topic: key.topic, partition: key.partition, component: key.component, deadLetters: 0 };
      this.byKey.set(id, delta);
    }
    delta.deadLetters += deadLetters;
  }

  get isEmpty(): boolean {
    return this.byKey.size === 0;
  }

  list(): Delta[] {
    return [...this.byKey.values()];
  }
}

const APPLY = `
  INSERT INTO dead_letter_rollups AS r (minute, topic, partition, component, dead_letters)
  SELECT d.minute, d.topic, d.partition, d.component, d.dead_letters
  FROM unnest($1::timestamptz[], $2::text[], $3::integer[], $4::text[], $5::bigint[]) AS d(minute, topic, partition, component, dead_letters)
  ORDER BY 1, 2, 3, 4
  ON CONFLICT (minute, topic, partition, component) DO UPDATE SET dead_letters = r.dead_letters + EXCLUDED.dead_letters`;

const PRUNE = `
  DELETE FROM dead_letter_rollups r
  USING unnest($1::timestamptz[], $2::text[], $3::integer[], $4::text[]) AS k(minute, topic, partition, component)
  WHERE r.minute = k.minute AND r.topic = k.topic AND r.partition = k.partition AND r.component = k.component
    AND r.dead_letters <= 0`;

/** Applies the transaction's deltas (one statement; none when there are none). Keys are unique (merged in the Map). */
export async function applyDeadLetterRollups(session: Session, deltas: DeadLetterRollupDeltas): Promise<void> {
  if (deltas.isEmpty) return;
  const list = deltas.list();
  await session.query(APPLY, [...keyArrays(list), encodeInt8Array(list.map((d) => d.deadLetters))]);
}

/** Applies deltas that delete (retention), then deletes the rows they emptied: two statements. */
export async function subtractDeadLetterRollups(session: Session, deltas: DeadLetterRollupDeltas): Promise<void> {
  if (deltas.isEmpty) return;
  await applyDeadLetterRollups(session, deltas);
  await session.query(PRUNE, keyArrays(deltas.list()));
}

function keyArrays(list: readonly Delta[]): Buffer[] {
  return [
    encodeTimestampArray(list.map((d) => d.minute.getTime())),
    encodeTextArray(list.map((d) => d.topic)),
    encodeInt4Array(list.map((d) => d.partition)),
    encodeTextArray(list.map((d) => d.component)),
  ];
}
