/**
 * Per-experiment queries. All filter on experiment_id (indexed in logs, performance_metrics and
 * consumer_lag) and return bounded results: grouped by at most `maxBuckets` time buckets of
 * `bucketSeconds` from the experiment's start, or by a fixed set of histogram buckets, or LIMITed.
 */
import type { Session } from '../../shared/db/index.js';

export interface BucketWindow {
  readonly experimentId: string;
  /** ISO start of bucket 0. */
  readonly startedAt: string;
  readonly bucketSeconds: number;
  readonly maxBuckets: number;
}

export async function metricAggregates(session: Session, experimentId: string, limit: number): Promise<Array<Record<string, unknown>>> {
  const result = await session.query(
    `SELECT component_type, metric_name, max(unit) AS unit, count(*) AS samples,
            avg(metric_value) AS avg, min(metric_value) AS min, max(metric_value) AS max
     FROM performance_metrics WHERE experiment_id = $1
     GROUP BY component_type, metric_name ORDER BY component_type, metric_name LIMIT $2`,
    [experimentId, limit],
  );
  return result.rows;
}

/** Records produced (by Kafka timestamp) and stored per bucket. */
export async function recordsPerBucket(session: Session, window: BucketWindow): Promise<Array<{ bucket: number; produced: string; stored: string }>> {
  const result = await session.query(
    `WITH produced AS (
       SELECT floor(extract(epoch FROM produced_at - $2::timestamptz) / $3)::int AS bucket, count(*) AS n
       FROM logs WHERE experiment_id = $1 AND produced_at IS NOT NULL GROUP BY 1),
     stored AS (
       SELECT floor(extract(epoch FROM stored_at - $2::timestamptz) / $3)::int AS bucket, count(*) AS n
       FROM logs WHERE experiment_id = $1 GROUP BY 1)
     SELECT coalesce(p.bucket, s.bucket) AS bucket, coalesce(p.n, 0) AS produced, coalesce(s.n, 0) AS stored
     FROM produced p FULL JOIN stored s ON s.bucket = p.bucket
     WHERE coalesce(p.bucket, s.bucket) BETWEEN 0 AND $4
     ORDER BY 1`,
    [window.experimentId, window.startedAt, window.bucketSeconds, window.maxBuckets - 1],
  );
  return result.rows;
}

/**
 * Totals over the experiment's logs: count, the produce and store time spans, produce → store
 * latency percentiles (ms), and ground-truth confusion counts (labels other than 'none' are anomalies;
 * a log without a label is not counted).
 */
export async function logTotals(session: Session, experimentId: string): Promise<Record<string, unknown>> {
  const result = await session.query(
    `WITH measured AS (
       SELECT l.produced_at, l.stored_at, l.label, a.id IS NOT NULL AS flagged,
              CASE WHEN l.produced_at IS NULL THEN NULL
                   ELSE greatest(0, extract(epoch FROM l.stored_at - l.produced_at) * 1000) END AS latency_ms
       FROM logs l LEFT JOIN anomalies a ON a.log_pk = l.id WHERE l.experiment_id = $1)
     SELECT count(*) AS records, min(produced_at) AS first_produced, max(produced_at) AS last_produced,
            min(stored_at) AS first_stored, max(stored_at) AS last_stored,
            count(latency_ms) AS latency_records,
            percentile_cont(ARRAY[0.5, 0.9, 0.95, 0.99]) WITHIN GROUP (ORDER BY latency_ms) AS latency_percentiles,
            max(latency_ms) AS latency_max,
            count(*) FILTER (WHERE label <> 'none' AND flagged) AS true_positives,
            count(*) FILTER (WHERE label = 'none' AND flagged) AS false_positives,
            count(*) FILTER (WHERE label <> 'none' AND NOT flagged) AS false_negatives,
            count(label) AS labelled
     FROM measured`,
    [experimentId],
  );
  return result.rows[0] ?? {};
}

/** Produce → store latency histogram: bucket i counts latencies in [bounds[i-1], bounds[i]) ms; bucket bounds.length is the open one. */
export async function latencyHistogram(session: Session, experimentId: string, boundsMs: readonly number[]): Promise<Array<{ bucket: number; n: string }>> {
  const result = await session.query(
    `SELECT width_bucket(greatest(0, extract(epoch FROM stored_at - produced_at) * 1000)::float8, $2::float8[]) AS bucket, count(*) AS n
     FROM logs WHERE experiment_id = $1 AND produced_at IS NOT NULL GROUP BY 1 ORDER BY 1`,
    [experimentId, boundsMs],
  );
  return result.rows;
}

/** The busiest `maxPartitions` (topic, partition) pairs' lag per bucket: the largest lag of any group sampled in it. */
export async function lagPerBucket(
  session: Session,
  window: BucketWindow,
  maxPartitions: number,
): Promise<Array<{ topic: string; partition: number; bucket: number; lag: string }>> {
  const result = await session.query(
    `WITH bucketed AS (
       SELECT topic, partition, floor(extract(epoch FROM "timestamp" - $2::timestamptz) / $3)::int AS bucket, max(lag) AS lag
       FROM consumer_lag WHERE experiment_id = $1 GROUP BY 1, 2, 3),
     chosen AS (
       SELECT topic, partition FROM bucketed GROUP BY 1, 2 ORDER BY max(lag) DESC, topic, partition LIMIT $5)
     SELECT b.topic, b.partition, b.bucket, b.lag FROM bucketed b JOIN chosen c USING (topic, partition)
     WHERE b.bucket BETWEEN 0 AND $4
     ORDER BY b.topic, b.partition, b.bucket`,
    [window.experimentId, window.startedAt, window.bucketSeconds, window.maxBuckets - 1, maxPartitions],
  );
  return result.rows;
}
