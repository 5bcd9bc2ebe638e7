/**
 * Records that Kafka placed at coordinates already holding a different stored record ("offset
 * reused": a topic deleted and recreated, a broker that lost its log, the in-memory broker
 * restarted, a database restored against a reset Kafka). The detector never drops them: each is
 * kept whole in dead_letters with this reason (log-rows.ts tells them from redeliveries by the
 * record's fingerprint), and `npm run health` counts them.
 */
import type { Db } from './pool.js';
import { withDatabaseErrors } from './database-errors.js';
import type { NewDeadLetter } from './dead-letters.js';
import type { LogRow } from './log-rows.js';

/** dead_letters.reason of such a record; migration 010's partial index is on exactly this text. */
export const OFFSET_REUSED_REASON = 'offset reused';

/** The component storeDetectorBatch files these under when its caller gives no dead letter of its own. */
const STORE_COMPONENT = 'detector';

/**
 * The dead letter for a row whose record bytes the caller did not give (storeDetectorBatch
 * without `offsetReused`): the row's fields as JSON in raw_value, so nothing of it is lost.
 */
export function rowAsOffsetReusedLetter(row: LogRow): NewDeadLetter {
  const fields = {
    logId: row.logId,
    ts: new Date(row.tsMs).toISOString(),
    service: row.service,
    level: row.level,
    message: row.message,
    host: row.host,
    traceId: row.traceId,
    experimentId: row.experimentId,
    producerId: row.producerId,
    label: row.label,
    producedAt: row.producedAtMs === null ? null : new Date(row.producedAtMs).toISOString(),
    fingerprint: row.fingerprint,
  };
  return {
    topic: row.topic,
    partition: row.partition,
    offset: row.offset,
    rawKey: null,
    rawValue: Buffer.from(JSON.stringify(fields), 'utf8'),
    headers: [],
    reason: OFFSET_REUSED_REASON,
    component: STORE_COMPONENT,
  };
}

export interface OffsetReuseSummary {
  /** Dead letters with reason OFFSET_REUSED_REASON, all components. */
  readonly records: number;
  /** When the newest of them arrived (ISO 8601); null when there are none. */
  readonly newest: string | null;
  /** The partitions with the most of them, most first (at most 5): "<topic>-<partition>" and count. */
  readonly streams: ReadonlyArray<{ readonly stream: string; readonly records: number }>;
}

/** How many records were dead-lettered for reused coordinates, and where (migration 010's partial index). */
export async function summarizeOffsetReuse(db: Db): Promise<OffsetReuseSummary> {
  const result = await withDatabaseErrors('summarizeOffsetReuse', () =>
    db.query<{ topic: string; partition: number; records: string; newest: Date }>(
      `SELECT topic, partition, count(*) AS records, max(received_at) AS newest
       FROM dead_letters WHERE reason = $1 GROUP BY topic, partition`,
      [OFFSET_REUSED_REASON],
    ),
  );
  const streams = result.rows
    .map((row) => ({ stream: `${row.topic}-${row.partition}`, records: Number(row.records), newest: row.newest.getTime() }))
    .sort((a, b) => b.records - a.records || (a.stream < b.stream ? -1 : 1));
  const newest = streams.reduce((latest, stream) => Math.max(latest, stream.newest), Number.NEGATIVE_INFINITY);
  return {
    records: streams.reduce((sum, stream) => sum + stream.records, 0),
    newest: streams.length === 0 ? null : new Date(newest).toISOString(),
    streams: streams.slice(0, 5).map(({ stream, records }) => ({ stream, records })),
  };
}
