import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toExperimentRow } from '../../../functions/dashboard-publisher/experiments/experiment-config.js';
import {
  createDashboardPublication,
  EXPERIMENTS_INDEX_KEY,
  experimentKey,
  type ExperimentDetail,
  type ExperimentsIndex,
} from '../../../functions/dashboard-publisher/index.js';
import { createExperiment, finishExperiment, insertConsumerLag, insertPerformanceMetrics } from '../../../functions/shared/db/index.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';
import { startTestS3, type TestS3 } from '../../helpers/s3.js';
import { emptyTables, storeLogs } from './publisher-fixtures.js';

const BUCKET = 'dashboard';
let db: TestDatabase;
let s3: TestS3;

beforeAll(async () => {
  [db, s3] = await Promise.all([createTestDatabase(), startTestS3([BUCKET])]);
});
afterAll(async () => {
  await Promise.all([db?.drop(), s3?.stop()]);
});
beforeEach(async () => {
  await emptyTables(db.pool);
});

async function readJson<T>(key: string): Promise<T> {
  const object = await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return JSON.parse(await object.Body!.transformToString()) as T;
}

/** An experiment that started 60 s ago with 10 logs: 4 labelled anomalies (3 flagged), 6 normal (1 flagged); latencies 100..1000 ms. */
async function seedExperiment(id: string, settings: Record<string, unknown> = { rate: 100 }): Promise<void> {
  const started = new Date(Date.now() - 60_000);
  await createExperiment(db.pool, { id, name: `name of ${id}`, producers: 2, consumers: 3, partitions: 4, settings, startedAt: started });
  const logIds = await storeLogs(db.pool, [
    { service: 'a', level: 'ERROR', experimentId: id, label: 'error_spike', anomalyScore: 0.9 },
    { service: 'a', level: 'ERROR', experimentId: id, label: 'error_spike', anomalyScore: 0.8 },
    { service: 'a', level: 'WARN', experimentId: id, label: 'keyword', anomalyScore: 0.7 },
    { service: 'a', level: 'INFO', experimentId: id, label: 'temporal' },
    { service: 'b', level: 'INFO', experimentId: id, label: 'none', anomalyScore: 0.65 },
    ...Array.from({ length: 5 }, () => ({ service: 'b', level: 'INFO', experimentId: id, label: 'none' })),
  ]);
  // Produced 10 s after the start; stored 100, 200, ..., 1000 ms later.
  await db.pool.query(
    `UPDATE logs SET produced_at = $2::timestamptz + interval '10 seconds',
                     stored_at = $2::timestamptz + interval '10 seconds' + (array_position($1::text[], log_id) * interval '100 milliseconds')
     WHERE log_id = ANY($1)`,
    [logIds, started.toISOString()],
  );
  await insertPerformanceMetrics(
    db.pool,
    [10, 20, 30].map((value, i) => ({
      experimentId: id,
      componentType: 'detector',
      componentId: 'det-1',
      metricName: 'e2e_latency_p95',
      metricValue: value,
      unit: 'ms',
      timestamp: new Date(started.getTime() + (i + 1) * 5_000),
      source: { idempotencyKey: `${id}-m-${i}` },
    })),
  );
  await insertConsumerLag(
    db.pool,
    [30, 5].flatMap((lag, i) =>
      [0, 1].map((partition) => ({
        experimentId: id,
        consumerId: 'detector-group',
        topic: 'logs',
        partition,
        currentOffset: 100,
        logEndOffset: 100 + lag + partition,
        lag: lag + partition,
        timestamp: new Date(started.getTime() + (i + 1) * 20_000),
      })),
    ),
  );
}

describe('experiment objects and the experiments index', () => {
  it('writes one object per experiment with configuration, aggregates, throughput, latency, lag and detection, then the index', async () => {
    // Prepare
    await seedExperiment('exp-1', { rate: 100, batchSize: 50 });
    await finishExperiment(db.pool, 'exp-1', 'completed', null);

    // Act
    const summary = await createDashboardPublication({ db: db.pool, s3: s3.client, bucket: BUCKET }).publish();

    // Assess
    const key = experimentKey('exp-1');
    expect(summary).toMatchObject({ experiments: 1, experimentObjectsWritten: 1 });
    const writes = s3.writes.filter((write) => write.bucket === BUCKET).map((write) => write.key);
    expect(writes.indexOf(key)).toBeLessThan(writes.lastIndexOf(EXPERIMENTS_INDEX_KEY));
    const detail = await readJson<ExperimentDetail>(key);
    expect(detail.experiment).toMatchObject({ id: 'exp-1', name: 'name of exp-1', status: 'completed', producers: 2, consumers: 3, partitions: 4, settings: { rate: 100, batchSize: 50 } });
    expect(detail.metrics).toEqual([{ component: 'detector', name: 'e2e_latency_p95', unit: 'ms', samples: 3, avg: 20, min: 10, max: 30 }]);
    expect(detail.latency).toMatchObject({ records: 10, p50: 550, max: 1000 });
    expect(detail.latency!.counts.reduce((a, b) => a + b, 0)).toBe(10);
    // 100 ms is in [100, 250): bucket 5; 200 in bucket 5; 300..500 in [250, 500) bucket 6 (500 is in [500, 1000)); 1000 in [1000, 2500)
    expect(detail.latency!.counts.slice(4, 9)).toEqual([0, 2, 2, 5, 1]);
    expect(detail.detection).toEqual({ precision: 0.75, recall: 0.75, f1: 0.75, source: 'labels', truePositives: 3, falsePositives: 1, falseNegatives: 1 });
    expect(detail.lag.map((series) => [series.topic, series.partition, series.seconds, series.lag])).toEqual([
      ['logs', 0, [20, 40], [30, 5]],
      ['logs', 1, [20, 40], [31, 6]],
    ]);
    expect(detail.throughput.producer.reduce<number>((a, b) => a + (b ?? 0), 0)).toBeGreaterThan(0);
    const index = await readJson<ExperimentsIndex>(EXPERIMENTS_INDEX_KEY);
    expect(index.experiments).toEqual([expect.objectContaining({ id: 'exp-1', key, latencyP95Ms: detail.latency!.p95, detection: detail.detection })]);
    expect(index.experiments[0]!.detectorThroughput).toBeCloseTo(10, 5);
  });

  it('rewrites finished experiments only when their row changes, always rewrites running ones, and removes objects of deleted experiments', async () => {
    // Prepare
    await seedExperiment('exp-done');
    await finishExperiment(db.pool, 'exp-done', 'failed', 'broker unreachable');
    await seedExperiment('exp-live');
    const publication = createDashboardPublication({ db: db.pool, s3: s3.client, bucket: BUCKET });
    await publication.publish();

    // Act
    const second = await publication.publish();
    await db.pool.query(`DELETE FROM experiments WHERE id = 'exp-done'`);
    const third = await publication.publish();

    // Assess
    expect(second).toMatchObject({ experiments: 2, experimentObjectsWritten: 1, staleObjectsDeleted: 0 });
    expect(third).toMatchObject({ experiments: 1, experimentObjectsWritten: 1, staleObjectsDeleted: 1 });
    const keys = s3.writes.filter((write) => write.bucket === BUCKET && write.event.startsWith('ObjectRemoved')).map((write) => write.key);
    expect(keys).toContain(experimentKey('exp-done'));
    const index = await readJson<ExperimentsIndex>(EXPERIMENTS_INDEX_KEY);
    expect(index.experiments.map((experiment) => experiment.id)).toEqual(['exp-live']);
  });

  it('reads columns a later migration adds when present (suite, trial, summary with detection) and tolerates their absence', () => {
    // Prepare
    const now = new Date('2026-12-05T10:00:00Z');
    const base = { id: 'e', name: 'n', producers: 1, consumers: 1, partitions: 1, settings: { rate: 1 }, status: 'completed', status_reason: null, started_at: '2026-12-05T09:00:00+00:00', ended_at: '2026-12-05T09:30:00+00:00' };

    // Act
    const plain = toExperimentRow(base, now);
    const extended = toExperimentRow({ ...base, suite_id: 'suite-7', trial: 2, summary: { detection: { precision: 0.5, recall: 0.25, f1: 0.3333 } } }, now);
    const odd = toExperimentRow({ id: 'x', status: 'weird', settings: 'not an object', started_at: null, producers: 'many' }, now);

    // Assess
    expect(plain.config).toMatchObject({ suiteId: null, trial: null, durationSeconds: 1800, endedAt: '2026-12-05T09:30:00.000Z' });
    expect(plain.recordedDetection).toBeNull();
    expect(extended.config).toMatchObject({ suiteId: 'suite-7', trial: 2 });
    expect(extended.recordedDetection).toEqual({ precision: 0.5, recall: 0.25, f1: 0.3333, source: 'experiment', truePositives: null, falsePositives: null, falseNegatives: null });
    expect(odd.config).toMatchObject({ id: 'x', name: 'x', status: 'running', settings: {}, producers: 0, startedAt: now.toISOString(), durationSeconds: 0 });
  });

  it('gives every experiment id a distinct URL-safe key', () => {
    // Act
    const keys = ['exp 1', 'exp-1', 'EXP-1', '../../etc/passwd', '<script>', 'ü'.repeat(200)].map(experimentKey);

    // Assess
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) expect(key).toMatch(/^data\/experiments\/[a-z0-9_-]+-[0-9a-f]{12}\.json$/);
  });
});
