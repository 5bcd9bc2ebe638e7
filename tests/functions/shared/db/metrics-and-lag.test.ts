import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../functions/shared/errors.js';
import { insertConsumerLag, insertPerformanceMetrics, type NewConsumerLag, type NewPerformanceMetric } from '../../../../functions/shared/db/index.js';
import { createTestDatabase, type TestDatabase } from '../../../helpers/postgres.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});
beforeEach(async () => {
  await db.pool.query('TRUNCATE performance_metrics, consumer_lag');
});

function metric(offset: number, name: string, overrides: Partial<NewPerformanceMetric> = {}): NewPerformanceMetric {
  return {
    experimentId: 'exp-1',
    componentType: 'detector',
    componentId: 'detector-1',
    metricName: name,
    metricValue: offset * 1.5,
    unit: 'ms',
    timestamp: '2024-05-01T12:00:00.000Z',
    source: { topic: 'metrics', partition: 0, offset },
    ...overrides,
  };
}

function lag(partition: number, second: number, overrides: Partial<NewConsumerLag> = {}): NewConsumerLag {
  return {
    experimentId: 'exp-1',
    consumerId: 'detector-group/member-1',
    topic: 'logs',
    partition,
    currentOffset: 90,
    logEndOffset: 100,
    lag: 10,
    timestamp: new Date(Date.UTC(2024, 4, 1, 12, 0, second)),
    ...overrides,
  };
}

describe('insertPerformanceMetrics', () => {
  it('stores several metrics of one Kafka record and ignores the record when redelivered', async () => {
    // Prepare: record 7 carries two metrics, record 8 one
    const metrics = [metric(7, 'batch_latency_ms'), metric(7, 'records_per_second', { unit: 'records/s' }), metric(8, 'batch_latency_ms')];
    await insertPerformanceMetrics(db.pool, metrics);

    // Act
    const again = await insertPerformanceMetrics(db.pool, [...metrics, metric(9, 'batch_latency_ms')]);

    // Assess
    expect(again).toEqual({ inserted: 1, alreadyPresent: 3 });
    const rows = await db.pool.query(
      `SELECT source_offset, metric_name, metric_value, unit, experiment_id, component_type, component_id, "timestamp"
       FROM performance_metrics ORDER BY source_offset, metric_name`,
    );
    expect(rows.rows).toEqual([
      { source_offset: '7', metric_name: 'batch_latency_ms', metric_value: 10.5, unit: 'ms', experiment_id: 'exp-1', component_type: 'detector', component_id: 'detector-1', timestamp: new Date('2024-05-01T12:00:00.000Z') },
      { source_offset: '7', metric_name: 'records_per_second', metric_value: 10.5, unit: 'records/s', experiment_id: 'exp-1', component_type: 'detector', component_id: 'detector-1', timestamp: new Date('2024-05-01T12:00:00.000Z') },
      { source_offset: '8', metric_name: 'batch_latency_ms', metric_value: 12, unit: 'ms', experiment_id: 'exp-1', component_type: 'detector', component_id: 'detector-1', timestamp: new Date('2024-05-01T12:00:00.000Z') },
      { source_offset: '9', metric_name: 'batch_latency_ms', metric_value: 13.5, unit: 'ms', experiment_id: 'exp-1', component_type: 'detector', component_id: 'detector-1', timestamp: new Date('2024-05-01T12:00:00.000Z') },
    ]);
  });

  it('makes metrics without a Kafka source idempotent by their idempotency key', async () => {
    // Prepare
    const custom = [
      metric(0, 'experiment_duration_s', { source: { idempotencyKey: 'exp-1/summary' }, unit: 's' }),
      metric(0, 'total_records', { source: { idempotencyKey: 'exp-1/summary' }, unit: null }),
    ];

    // Act
    const first = await insertPerformanceMetrics(db.pool, custom);
    const retried = await insertPerformanceMetrics(db.pool, custom);
    const other = await insertPerformanceMetrics(db.pool, [metric(0, 'total_records', { source: { idempotencyKey: 'exp-2/summary' } })]);

    // Assess
    expect(first).toEqual({ inserted: 2, alreadyPresent: 0 });
    expect(retried).toEqual({ inserted: 0, alreadyPresent: 2 });
    expect(other).toEqual({ inserted: 1, alreadyPresent: 0 });
    const rows = await db.pool.query('SELECT idempotency_key, source_topic, unit FROM performance_metrics ORDER BY id');
    expect(rows.rows).toEqual([
      { idempotency_key: 'exp-1/summary', source_topic: null, unit: 's' },
      { idempotency_key: 'exp-1/summary', source_topic: null, unit: null },
      { idempotency_key: 'exp-2/summary', source_topic: null, unit: 'ms' },
    ]);
  });

  it('refuses malformed metrics before writing anything', async () => {
    // Prepare
    const cases: Array<[NewPerformanceMetric[], RegExp]> = [
      [[metric(1, 'a'), metric(1, 'a')], /metric "a" appears twice for the same source in one call/],
      [[metric(1, 'a', { metricValue: Number.POSITIVE_INFINITY })], /metrics\[0\]\.metricValue must be a finite number/],
      [[metric(1, '')], /metrics\[0\]\.metricName must not be empty/],
      [[metric(1, 'a', { source: { topic: 'metrics', partition: -1, offset: 1 } })], /metrics\[0\]\.source\.partition must be an integer/],
      [[metric(1, 'a', { source: { idempotencyKey: 'k'.repeat(201) } })], /idempotencyKey is longer than 200 characters/],
      [[metric(1, 'a', { source: null as never })], /metrics\[0\]\.source must be Kafka coordinates or \{ idempotencyKey \}/],
      [[metric(1, 'a', { timestamp: 'not a time' })], /metrics\[0\]\.timestamp is not a valid timestamp/],
    ];

    for (const [metrics, message] of cases) {
      // Act
      const outcome = insertPerformanceMetrics(db.pool, metrics);

      // Assess
      await expect(outcome).rejects.toThrow(ValidationError);
      await expect(outcome).rejects.toThrow(message);
    }
    const count = await db.pool.query('SELECT count(*)::int AS n FROM performance_metrics');
    expect(count.rows[0].n).toBe(0);
  });

  it('returns zero counts for no metrics', async () => {
    // Act
    const result = await insertPerformanceMetrics(db.pool, []);

    // Assess
    expect(result).toEqual({ inserted: 0, alreadyPresent: 0 });
  });
});

describe('insertConsumerLag', () => {
  it('stores each sample once, also when resent or duplicated within one call', async () => {
    // Prepare
    const samples = [lag(0, 1), lag(1, 1), lag(0, 2, { currentOffset: -1, logEndOffset: 5, lag: 5 })];
    await insertConsumerLag(db.pool, samples);

    // Act
    const again = await insertConsumerLag(db.pool, [...samples, lag(2, 1), lag(2, 1)]);

    // Assess
    expect(again).toEqual({ inserted: 1, alreadyPresent: 4 });
    const rows = await db.pool.query(
      `SELECT partition, current_offset, log_end_offset, lag, "timestamp", consumer_id, topic, experiment_id
       FROM consumer_lag ORDER BY "timestamp", partition`,
    );
    expect(rows.rows.map((r) => [r.partition, r.current_offset, r.log_end_offset, r.lag, r.timestamp.toISOString()])).toEqual([
      [0, '90', '100', '10', '2024-05-01T12:00:01.000Z'],
      [1, '90', '100', '10', '2024-05-01T12:00:01.000Z'],
      [2, '90', '100', '10', '2024-05-01T12:00:01.000Z'],
      [0, '-1', '5', '5', '2024-05-01T12:00:02.000Z'],
    ]);
    expect(rows.rows[0]).toMatchObject({ consumer_id: 'detector-group/member-1', topic: 'logs', experiment_id: 'exp-1' });
  });

  it('refuses malformed samples', async () => {
    // Prepare
    const cases: Array<[NewConsumerLag[], RegExp]> = [
      [[lag(0, 1, { lag: -3 })], /samples\[0\]\.lag must be an integer in \[0,/],
      [[lag(0, 1, { currentOffset: -2 })], /samples\[0\]\.currentOffset must be an integer in \[-1,/],
      [[lag(0, 1, { consumerId: '' })], /samples\[0\]\.consumerId must not be empty/],
      [[lag(0, 1, { partition: 2 ** 31 })], /samples\[0\]\.partition must be an integer/],
    ];

    for (const [samples, message] of cases) {
      // Act
      const outcome = insertConsumerLag(db.pool, samples);

      // Assess
      await expect(outcome).rejects.toThrow(ValidationError);
      await expect(outcome).rejects.toThrow(message);
    }
  });
});
