/**
 * What the consumer side achieved, read back from PostgreSQL: the experiment's log rows (its own
 * topic, Kafka timestamp in the measured phase) with their anomaly flags and ground-truth labels.
 * End-to-end latency of a record = logs.stored_at (the database's time at the start of the
 * batch's transaction) − logs.produced_at (the record's Kafka timestamp, set by the producer).
 */
import type pg from 'pg';

/** Upper bounds (ms) of the latency histogram's buckets; the last bucket is open-ended. */
export const latencyBucketsMs = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 60_000] as const;

export interface Percentiles {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

export interface Detection {
  /** Stored records that carried a label (`x-anomaly-label`). */
  readonly labelled: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
  readonly trueNegatives: number;
  /** null when nothing was flagged / no labelled anomaly was stored. */
  readonly precision: number | null;
  readonly recall: number | null;
  readonly f1: number | null;
  /** Per anomaly kind: stored records of that kind, how many were flagged, their share. */
  readonly byKind: Record<string, { readonly records: number; readonly detected: number; readonly recall: number }>;
}

export interface ConsumerMeasurements {
  readonly stored: number;
  readonly flagged: number;
  readonly firstStoredAtMs: number | null;
  readonly lastStoredAtMs: number | null;
  readonly e2eLatencyMs: Percentiles | null;
  /** [upper bound ms or null for the open bucket, records]. */
  readonly latencyHistogram: ReadonlyArray<readonly [number | null, number]>;
  readonly detection: Detection;
  /** [unix second, records] of the measured records by produce time and by store time. */
  readonly producedPerSecond: ReadonlyArray<readonly [number, number]>;
  readonly storedPerSecond: ReadonlyArray<readonly [number, number]>;
}

const measured = `
  WITH m AS (
    SELECT l.label, (a.id IS NOT NULL) AS flagged, l.produced_at, l.stored_at,
           extract(epoch FROM (l.stored_at - l.produced_at)) * 1000 AS latency_ms
    FROM logs l LEFT JOIN anomalies a ON a.log_pk = l.id
    WHERE l.topic = $1 AND l.produced_at >= $2)`;

export async function measureConsumers(pool: pg.Pool, topic: string, measuredFromMs: number): Promise<ConsumerMeasurements> {
  const from = new Date(measuredFromMs);
  const totals = await pool.query(
    `${measured}
     SELECT count(*)::bigint AS stored, count(*) FILTER (WHERE flagged)::bigint AS flagged,
            percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY latency_ms) AS pct,
            max(latency_ms) AS max_ms, avg(latency_ms) AS mean_ms, min(stored_at) AS first_stored, max(stored_at) AS last_stored
     FROM m`,
    [topic, from],
  );
  const confusion = await pool.query(`${measured} SELECT label, flagged, count(*)::bigint AS n FROM m GROUP BY label, flagged`, [topic, from]);
  const histogram = await pool.query(`${measured} SELECT width_bucket(latency_ms, $3::float8[]) AS bucket, count(*)::bigint AS n FROM m GROUP BY bucket ORDER BY bucket`, [topic, from, latencyBucketsMs]);
  const perSecond = (column: 'produced_at' | 'stored_at') =>
    pool.query(`${measured} SELECT floor(extract(epoch FROM ${column}))::bigint AS second, count(*)::bigint AS n FROM m GROUP BY second ORDER BY second`, [topic, from]);
  const [produced, stored] = await Promise.all([perSecond('produced_at'), perSecond('stored_at')]);

  const row = totals.rows[0];
  const pct = row.pct as number[] | null;
  return {
    stored: Number(row.stored),
    flagged: Number(row.flagged),
    firstStoredAtMs: row.first_stored === null ? null : (row.first_stored as Date).getTime(),
    lastStoredAtMs: row.last_stored === null ? null : (row.last_stored as Date).getTime(),
    e2eLatencyMs: pct === null ? null : { p50: pct[0]!, p95: pct[1]!, p99: pct[2]!, max: Number(row.max_ms), mean: Number(row.mean_ms) },
    latencyHistogram: histogram.rows.map((r) => [r.bucket >= latencyBucketsMs.length ? null : latencyBucketsMs[Number(r.bucket)]!, Number(r.n)] as const),
    detection: detectionScores(confusion.rows.map((r) => ({ label: r.label as string | null, flagged: r.flagged as boolean, count: Number(r.n) }))),
    producedPerSecond: produced.rows.map((r) => [Number(r.second), Number(r.n)] as const),
    storedPerSecond: stored.rows.map((r) => [Number(r.second), Number(r.n)] as const),
  };
}

/** Precision, recall and F1 of the flags against the labels ("none" = normal; unlabelled rows are left out). */
export function detectionScores(cells: ReadonlyArray<{ label: string | null; flagged: boolean; count: number }>): Detection {
  let tp = 0, fp = 0, fn = 0, tn = 0;
  const kinds: Record<string, { records: number; detected: number; recall: number }> = {};
  for (const { label, flagged, count } of cells) {
    if (label === null) continue;
    if (label === 'none') {
      if (flagged) fp += count;
      else tn += count;
      continue;
    }
    if (flagged) tp += count;
    else fn += count;
    const kind = (kinds[label] ??= { records: 0, detected: 0, recall: 0 });
    kind.records += count;
    if (flagged) kind.detected += count;
  }
  for (const kind of Object.values(kinds)) kind.recall = kind.detected / kind.records;
  const precision = tp + fp === 0 ? null : tp / (tp + fp);
  const recall = tp + fn === 0 ? null : tp / (tp + fn);
  const f1 = precision === null || recall === null ? null : precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { labelled: tp + fp + fn + tn, truePositives: tp, falsePositives: fp, falseNegatives: fn, trueNegatives: tn, precision, recall, f1, byKind: kinds };
}
