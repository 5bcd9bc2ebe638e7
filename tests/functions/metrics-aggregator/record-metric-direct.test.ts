import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordMetricDirect, type DirectMetric } from '../../../functions/metrics-aggregator/index.js';
import { ValidationError } from '../../../functions/shared/errors.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';

describe('recordMetricDirect', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db?.drop();
  });

  const base: DirectMetric = {
    experimentId: 'exp-direct',
    componentId: 'training-job',
    name: 'model.training_rows',
    value: 5000,
    unit: 'rows',
    idempotencyKey: 'train-2024-05-01',
    timestamp: new Date('2024-05-01T12:00:00.000Z'),
  };

  async function rows(key: string) {
    const result = await db.pool.query(
      `SELECT experiment_id, component_type, component_id, metric_name, metric_value, unit, "timestamp", source_topic, idempotency_key
       FROM performance_metrics WHERE idempotency_key = $1 ORDER BY metric_name`,
      [key],
    );
    return result.rows;
  }

  it('stores a custom metric once per idempotency key and name', async () => {
    // Act
    const first = await recordMetricDirect(db.pool, base);
    const retried = await recordMetricDirect(db.pool, { ...base, value: 5001 });
    const otherName = await recordMetricDirect(db.pool, { ...base, name: 'model.fit_ms', value: 812.5, unit: 'ms' });

    // Assess
    expect([first, retried, otherName]).toEqual([{ stored: true }, { stored: false }, { stored: true }]);
    expect(await rows('train-2024-05-01')).toEqual([
      { experiment_id: 'exp-direct', component_type: 'custom', component_id: 'training-job', metric_name: 'model.fit_ms', metric_value: 812.5, unit: 'ms', timestamp: new Date('2024-05-01T12:00:00.000Z'), source_topic: null, idempotency_key: 'train-2024-05-01' },
      { experiment_id: 'exp-direct', component_type: 'custom', component_id: 'training-job', metric_name: 'model.training_rows', metric_value: 5000, unit: 'rows', timestamp: new Date('2024-05-01T12:00:00.000Z'), source_topic: null, idempotency_key: 'train-2024-05-01' },
    ]);
  });

  it('takes another component type, no unit and no experiment', async () => {
    // Act
    await recordMetricDirect(db.pool, { experimentId: null, componentType: 'detector', componentId: 'detector-1', name: 'retrains', value: 1, idempotencyKey: 'retrain-7' });

    // Assess
    expect(await rows('retrain-7')).toMatchObject([{ experiment_id: null, component_type: 'detector', unit: null }]);
  });

  it.each([
    [{ name: '1starts-with-digit' }, /direct metric is invalid: name must start with a letter/],
    [{ value: Number.NaN }, /value must be a finite number/],
    [{ value: Number.POSITIVE_INFINITY }, /value must be a finite number/],
    [{ unit: 'ms; DROP' }, /unit must hold only/],
    [{ componentId: "x'--" }, /componentId must hold only/],
    [{ experimentId: '' }, /experimentId must not be empty/],
    [{ componentType: 'kernel' as never }, /componentType must be one of/],
    [{ idempotencyKey: 'k'.repeat(201) }, /idempotencyKey is longer than 200 characters/],
    [{ idempotencyKey: '' }, /idempotencyKey must not be empty/],
    [{ timestamp: new Date(Number.NaN) }, /timestamp must be a valid Date/],
  ])('refuses %j with a ValidationError naming the field, storing nothing', async (override, message) => {
    // Act
    const error = await recordMetricDirect(db.pool, { ...base, idempotencyKey: 'refused', ...override }).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(message);
    expect(await rows('refused')).toEqual([]);
  });
});
