/**
 * Performance metrics (throughput, latency, ...). Each metric has exactly one identity:
 * - `source`: the Kafka record it was read from (topic `metrics`) — one record may carry several
 *   metrics, told apart by name, so the key is (topic, partition, offset, metric_name);
 * - `idempotencyKey`: for metrics recorded directly (no Kafka record) — the key is
 *   (idempotency_key, metric_name).
 * Inserting the same metric twice (redelivery, retry) adds one row.
 */
import { ValidationError } from '../errors.js';
import type { Db } from './pool.js';
import { withTransaction } from './transaction.js';
import { withDatabaseErrors } from './database-errors.js';
import { chunks, NO_ROWS, type InsertCounts } from './insert-counts.js';
import { checkCoordinates, type KafkaCoordinates } from './kafka-coordinates.js';
import { optionalText, requireArray, requireFiniteNumber, requireText, requireTimestamp, type Timestamp } from './input-checks.js';

export type MetricSource = KafkaCoordinates | { readonly idempotencyKey: string };

export interface NewPerformanceMetric {
  readonly experimentId: string | null;
  /** "producer", "detector", "metrics-aggregator", ... */
  readonly componentType: string;
  readonly componentId: string;
  readonly metricName: string;
  readonly metricValue: number;
  /** "ms", "records/s", ... or null for a plain count. */
  readonly unit: string | null;
  readonly timestamp: Timestamp;
  readonly source: MetricSource;
}

export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

interface MetricRow {
  readonly experimentId: string | null;
  readonly componentType: string;
  readonly componentId: string;
  readonly metricName: string;
  readonly metricValue: number;
  readonly unit: string | null;
  readonly timestamp: string;
  readonly source: KafkaCoordinates | null;
  readonly idempotencyKey: string | null;
  /** Identity as one string, for duplicate detection and lock ordering. */
  readonly identity: string;
}

function toMetricRow(metric: NewPerformanceMetric, what: string): MetricRow {
  const metricName = requireText(metric?.metricName, `${what}.metricName`);
  const given = metric.source as Partial<KafkaCoordinates> & { idempotencyKey?: unknown };
  if (given === null || typeof given !== 'object') throw new ValidationError(`${what}.source must be Kafka coordinates or { idempotencyKey }`);
  let source: KafkaCoordinates | null = null;
  let idempotencyKey: string | null = null;
  if ('idempotencyKey' in given) {
    idempotencyKey = requireText(given.idempotencyKey, `${what}.source.idempotencyKey`);
    if (idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
      throw new ValidationError(`${what}.source.idempotencyKey is longer than ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
    }
  } else {
    source = checkCoordinates(given as KafkaCoordinates, `${what}.source`);
  }
  const identity = source
    ? `k\u0001${source.topic}\u0001${source.partition}\u0001${String(source.offset).padStart(16, '0')}\u0001${metricName}`
    : `i\u0001${idempotencyKey}\u0001${metricName}`;
  return {
    experimentId: optionalText(metric.experimentId, `${what}.experimentId`),
    componentType: requireText(metric.componentType, `${what}.componentType`),
    componentId: requireText(metric.componentId, `${what}.componentId`),
    metricName,
    metricValue: requireFiniteNumber(metric.metricValue, `${what}.metricValue`),
    unit: optionalText(metric.unit, `${what}.unit`),
    timestamp: requireTimestamp(metric.timestamp, `${what}.timestamp`),
    source,
    idempotencyKey,
    identity,
  };
}

const INSERT_METRICS = `
  INSERT INTO performance_metrics (experiment_id, component_type, component_id, metric_name, metric_value, unit,
                                   "timestamp", source_topic, source_partition, source_offset, idempotency_key)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::text[], $7::timestamptz[],
                       $8::text[], $9::integer[], $10::bigint[], $11::text[])
  ON CONFLICT DO NOTHING`;

/**
 * Stores metrics idempotently (one transaction). Two metrics with the same identity in one call are
 * refused with a ValidationError: one of them would otherwise be silently dropped.
 */
export async function insertPerformanceMetrics(db: Db, metrics: readonly NewPerformanceMetric[]): Promise<InsertCounts> {
  const rows = requireArray(metrics, 'metrics').map((metric, i) => toMetricRow(metric, `metrics[${i}]`));
  const seen = new Set<string>();
  for (const row of rows) {
    if (seen.has(row.identity)) {
      throw new ValidationError(`metric "${row.metricName}" appears twice for the same source in one call`);
    }
    seen.add(row.identity);
  }
  if (rows.length === 0) return NO_ROWS;
  rows.sort((a, b) => (a.identity < b.identity ? -1 : a.identity > b.identity ? 1 : 0));

  return withDatabaseErrors('insertPerformanceMetrics', () =>
    withTransaction(db, async (session) => {
      let inserted = 0;
      for (const chunk of chunks(rows)) {
        const result = await session.query(INSERT_METRICS, [
          chunk.map((r) => r.experimentId),
          chunk.map((r) => r.componentType),
          chunk.map((r) => r.componentId),
          chunk.map((r) => r.metricName),
          chunk.map((r) => r.metricValue),
          chunk.map((r) => r.unit),
          chunk.map((r) => r.timestamp),
          chunk.map((r) => r.source?.topic ?? null),
          chunk.map((r) => r.source?.partition ?? null),
          chunk.map((r) => r.source?.offset ?? null),
          chunk.map((r) => r.idempotencyKey),
        ]);
        inserted += result.rowCount ?? 0;
      }
      return { inserted, alreadyPresent: rows.length - inserted };
    }),
  );
}
