import type { Db } from '../../shared/db/index.js';
import {
  DASHBOARD_SCHEMA,
  LATENCY_BOUNDS_MS,
  dashboardLimits as limits,
  type DetectionQuality,
  type ExperimentDetail,
  type LatencyDistribution,
  type PartitionLagSeries,
} from '../dashboard-data.js';
import { cutText, finiteNumber, isoOrNull, round, textOrNull } from '../json-values.js';
import { inReadSnapshot } from '../read-snapshot.js';
import type { ExperimentRow } from './experiment-config.js';
import { lagPerBucket, latencyHistogram, logTotals, metricAggregates, recordsPerBucket, type BucketWindow } from './experiment-queries.js';

/** Headline figures the index carries for each experiment (the scaling charts use them). */
export interface ExperimentHeadline {
  readonly producerThroughput: number | null;
  readonly detectorThroughput: number | null;
  readonly latencyP95Ms: number | null;
}

export interface ExperimentPublication {
  readonly detail: ExperimentDetail;
  readonly headline: ExperimentHeadline;
}

/** Reads one experiment's charts and figures in one consistent database snapshot. */
export function readExperimentDetail(db: Db, row: ExperimentRow, generatedAt: Date): Promise<ExperimentPublication> {
  const config = row.config;
  const bucketSeconds = Math.max(1, Math.ceil(config.durationSeconds / limits.MAX_SERIES_POINTS));
  const window: BucketWindow = { experimentId: config.id, startedAt: config.startedAt, bucketSeconds, maxBuckets: limits.MAX_SERIES_POINTS };
  return inReadSnapshot(db, 'readExperimentDetail', async (session) => {
    const aggregates = await metricAggregates(session, config.id, limits.MAX_METRIC_AGGREGATES);
    const buckets = await recordsPerBucket(session, window);
    const totals = await logTotals(session, config.id);
    const histogram = await latencyHistogram(session, config.id, LATENCY_BOUNDS_MS);
    const lagRows = await lagPerBucket(session, window, limits.MAX_LAG_PARTITIONS);

    const detection = row.recordedDetection ?? detectionFromLabels(totals);
    const latency = latencyDistribution(totals, histogram);
    const detail: ExperimentDetail = {
      schema: DASHBOARD_SCHEMA,
      kind: 'experiment',
      generatedAt: generatedAt.toISOString(),
      experiment: config,
      metrics: aggregates.map((aggregate) => ({
        component: cutText(String(aggregate.component_type), limits.MAX_LABEL_CHARS),
        name: cutText(String(aggregate.metric_name), limits.MAX_LABEL_CHARS),
        unit: textOrNull(aggregate.unit, limits.MAX_LABEL_CHARS),
        samples: finiteNumber(aggregate.samples),
        avg: round(finiteNumber(aggregate.avg)),
        min: round(finiteNumber(aggregate.min)),
        max: round(finiteNumber(aggregate.max)),
      })),
      throughput: {
        seconds: buckets.map((bucket) => bucket.bucket * bucketSeconds),
        producer: buckets.map((bucket) => round(finiteNumber(bucket.produced) / bucketSeconds, 2)),
        detector: buckets.map((bucket) => round(finiteNumber(bucket.stored) / bucketSeconds, 2)),
      },
      latency,
      lag: lagSeries(lagRows, bucketSeconds),
      detection,
    };
    return { detail, headline: headline(totals, latency) };
  });
}

/** Rates over the runs' own spans: produced records / produce span; stored records / (first produce → last store). */
function headline(totals: Record<string, unknown>, latency: LatencyDistribution | null): ExperimentHeadline {
  const records = finiteNumber(totals.records);
  const spanSeconds = (from: unknown, to: unknown): number => {
    const [start, end] = [isoOrNull(from), isoOrNull(to)];
    return start === null || end === null ? 0 : (Date.parse(end) - Date.parse(start)) / 1000;
  };
  const produceSpan = spanSeconds(totals.first_produced, totals.last_produced);
  const storeSpan = spanSeconds(totals.first_produced, totals.last_stored);
  return {
    producerThroughput: records > 1 && produceSpan > 0 ? round((records - 1) / produceSpan, 1) : null,
    detectorThroughput: records > 0 && storeSpan > 0 ? round(records / storeSpan, 1) : null,
    latencyP95Ms: latency?.p95 ?? null,
  };
}

function latencyDistribution(totals: Record<string, unknown>, histogram: Array<{ bucket: number; n: string }>): LatencyDistribution | null {
  const records = finiteNumber(totals.latency_records);
  const percentiles = Array.isArray(totals.latency_percentiles) ? totals.latency_percentiles.map((value) => round(finiteNumber(value), 1)) : [];
  if (records === 0 || percentiles.length !== 4) return null;
  const counts = new Array<number>(LATENCY_BOUNDS_MS.length + 1).fill(0);
  for (const row of histogram) {
    const index = Math.min(Math.max(Number(row.bucket), 0), counts.length - 1);
    counts[index] = (counts[index] ?? 0) + finiteNumber(row.n);
  }
  const [p50 = 0, p90 = 0, p95 = 0, p99 = 0] = percentiles;
  return { records, p50, p90, p95, p99, max: round(finiteNumber(totals.latency_max), 1), upperBoundsMs: [...LATENCY_BOUNDS_MS, null], counts };
}

function detectionFromLabels(totals: Record<string, unknown>): DetectionQuality | null {
  if (finiteNumber(totals.labelled) === 0) return null;
  const tp = finiteNumber(totals.true_positives);
  const fp = finiteNumber(totals.false_positives);
  const fn = finiteNumber(totals.false_negatives);
  const precision = tp + fp === 0 ? null : round(tp / (tp + fp));
  const recall = tp + fn === 0 ? null : round(tp / (tp + fn));
  let f1: number | null = null;
  if (precision !== null && recall !== null) f1 = precision + recall === 0 ? 0 : round((2 * precision * recall) / (precision + recall));
  return { precision, recall, f1, source: 'labels', truePositives: tp, falsePositives: fp, falseNegatives: fn };
}

function lagSeries(rows: Array<{ topic: string; partition: number; bucket: number; lag: string }>, bucketSeconds: number): PartitionLagSeries[] {
  const series = new Map<string, { topic: string; partition: number; seconds: number[]; lag: number[] }>();
  for (const row of rows) {
    const key = `${row.topic}\u0000${row.partition}`;
    let entry = series.get(key);
    if (entry === undefined) {
      entry = { topic: cutText(row.topic, limits.MAX_LABEL_CHARS), partition: finiteNumber(row.partition), seconds: [], lag: [] };
      series.set(key, entry);
    }
    entry.seconds.push(row.bucket * bucketSeconds);
    entry.lag.push(finiteNumber(row.lag));
  }
  return [...series.values()];
}

