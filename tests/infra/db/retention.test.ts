import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../functions/shared/errors.js';
import {
  createExperiment,
  finishExperiment,
  insertConsumerLag,
  insertPerformanceMetrics,
  storeDetectorBatch,
  type NewConsumerLag,
  type NewPerformanceMetric,
} from '../../../functions/shared/db/index.js';
import { deleteExpiredRows } from '../../../infra/db/retention.js';
import { parseCleanupArgs } from '../../../infra/db/cleanup-args.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';
import { anomalyFor, deadLetter, newLog } from '../../functions/shared/db/db-fixtures.js';
import { backdatePartition, rollupsOfRawRows, rollupTotals, storedRollups } from '../../functions/shared/db/rollup-fixtures.js';

const NOW = new Date('2024-06-01T00:00:00.000Z');
const OLD = '2024-04-01T00:00:00.000Z'; // older than both 7 and 30 days
const RECENT = '2024-05-30T00:00:00.000Z'; // younger than both

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

function metric(experimentId: string | null, key: string, timestamp: string): NewPerformanceMetric {
  return { experimentId, componentType: 'detector', componentId: 'd1', metricName: 'latency_ms', metricValue: 1, unit: 'ms', timestamp, source: { idempotencyKey: key } };
}

function lag(experimentId: string | null, consumerId: string, timestamp: string): NewConsumerLag {
  return { experimentId, consumerId, topic: 'logs', partition: 0, currentOffset: 1, logEndOffset: 2, lag: 1, timestamp };
}

async function remaining(sql: string): Promise<unknown[]> {
  return (await db.pool.query(sql)).rows.map((row) => Object.values(row)[0]);
}

beforeEach(async () => {
  await db.pool.query('TRUNCATE logs, anomalies, dead_letters, log_rollups, dead_letter_rollups, experiments, performance_metrics, consumer_lag RESTART IDENTITY CASCADE');
  // Logs 1..3 are old (log 1 has an anomaly detected recently); logs 4..5 are recent (log 4 has an old anomaly).
  const logs = [1, 2, 3].map((offset) => newLog(offset, { ts: OLD })).concat([4, 5].map((offset) => newLog(offset, { ts: RECENT })));
  await storeDetectorBatch(db.pool, {
    logs,
    anomalies: [anomalyFor(logs[0]!, { detectedAt: RECENT }), anomalyFor(logs[3]!, { detectedAt: OLD })],
    deadLetters: [deadLetter(100, { receivedAt: OLD }), deadLetter(101, { receivedAt: RECENT })],
  });
  // Experiments: finished long ago (2), still running since long ago, finished recently.
  for (const id of ['old-done', 'old-failed', 'old-running', 'recent-done']) {
    await createExperiment(db.pool, { id, name: id, producers: 1, consumers: 1, partitions: 1, settings: {}, startedAt: '2024-03-01T00:00:00Z' });
    await insertPerformanceMetrics(db.pool, [metric(id, `${id}/m`, OLD)]);
    await insertConsumerLag(db.pool, [lag(id, `${id}/c`, OLD)]);
  }
  await finishExperiment(db.pool, 'old-done', 'completed', null, OLD);
  await finishExperiment(db.pool, 'old-failed', 'failed', 'broker down', '2024-04-15T00:00:00Z');
  await finishExperiment(db.pool, 'recent-done', 'completed', null, RECENT);
  await insertPerformanceMetrics(db.pool, [metric(null, 'orphan-old', OLD), metric(null, 'orphan-new', RECENT)]);
  await insertConsumerLag(db.pool, [lag(null, 'orphan-old', OLD), lag(null, 'orphan-new', RECENT)]);
});

describe('deleteExpiredRows', () => {
  it('deletes exactly the rows past retention, in small batches, and reports the counts', async () => {
    // Act
    const summary = await deleteExpiredRows(db.pool, { logsDays: 7, experimentsDays: 30 }, { now: NOW, batchSize: 2 });

    // Assess
    expect(summary).toEqual({
      now: NOW.toISOString(),
      cutoffs: { logs: '2024-05-25T00:00:00.000Z', experiments: '2024-05-02T00:00:00.000Z', streams: null },
      deleted: { logs: 3, anomalies: 2, deadLetters: 1, experiments: 2, performanceMetrics: 3, consumerLag: 3, detectorStreams: 0 },
    });
    expect(await remaining('SELECT kafka_offset FROM logs ORDER BY kafka_offset')).toEqual(['4', '5']);
    expect(await remaining('SELECT count(*)::int FROM anomalies')).toEqual([0]);
    expect(await remaining('SELECT kafka_offset FROM dead_letters')).toEqual(['101']);
    expect(await remaining('SELECT id FROM experiments ORDER BY id')).toEqual(['old-running', 'recent-done']);
    expect(await remaining('SELECT idempotency_key FROM performance_metrics ORDER BY 1')).toEqual(['old-running/m', 'orphan-new', 'recent-done/m']);
    expect(await remaining('SELECT consumer_id FROM consumer_lag ORDER BY 1')).toEqual(['old-running/c', 'orphan-new', 'recent-done/c']);
  });

  it('keeps the rollups equal to counts of the rows it leaves, dropping rollup rows left empty', async () => {
    // Prepare: a second minute of logs, one flagged, for the same partitions (kept: their ts is recent)
    await backdatePartition(db.pool, 'logs', 1, 5);
    await storeDetectorBatch(db.pool, { logs: [newLog(7, { ts: RECENT })], anomalies: [anomalyFor(newLog(7), { detectedAt: RECENT })], deadLetters: [] });
    const before = await rollupTotals(db.pool);

    // Act
    await deleteExpiredRows(db.pool, { logsDays: 7, experimentsDays: null }, { now: NOW, batchSize: 2 });

    // Assess
    expect(before).toEqual({ logs: 6, anomalies: 3, deadLetters: 2 });
    expect(await rollupTotals(db.pool)).toEqual({ logs: 3, anomalies: 1, deadLetters: 1 });
    expect(await storedRollups(db.pool)).toEqual(await rollupsOfRawRows(db.pool));
    expect(await remaining('SELECT count(*)::int FROM log_rollups WHERE logs = 0')).toEqual([0]);
  });

  it('touches only logs when only --logs-days is given, and nothing the second time', async () => {
    // Act
    const first = await deleteExpiredRows(db.pool, { logsDays: 7, experimentsDays: null }, { now: NOW });
    const second = await deleteExpiredRows(db.pool, { logsDays: 7, experimentsDays: null }, { now: NOW });

    // Assess
    expect(first.deleted).toEqual({ logs: 3, anomalies: 2, deadLetters: 1, experiments: 0, performanceMetrics: 0, consumerLag: 0, detectorStreams: 0 });
    expect(first.cutoffs.experiments).toBeNull();
    expect(second.deleted).toEqual({ logs: 0, anomalies: 0, deadLetters: 0, experiments: 0, performanceMetrics: 0, consumerLag: 0, detectorStreams: 0 });
    expect(await remaining('SELECT count(*)::int FROM experiments')).toEqual([4]);
  });

  it('keeps everything younger than a long retention', async () => {
    // Act
    const summary = await deleteExpiredRows(db.pool, { logsDays: 365, experimentsDays: 365 }, { now: NOW });

    // Assess
    expect(Object.values(summary.deleted).every((n) => n === 0)).toBe(true);
    expect(await remaining('SELECT count(*)::int FROM logs')).toEqual([5]);
  });
});

describe('deleteExpiredRows: detector streams', () => {
  it('deletes the stream states not written for --streams-days, and only with that flag', async () => {
    // Prepare: one stream written long ago, one recently
    await db.pool.query('TRUNCATE detector_streams');
    await db.pool.query(
      `INSERT INTO detector_streams (stream_key, model_version, next_offset, revision, state, updated_at)
       VALUES ('logs-0', 'v1', 10, 3, '{}', $1), ('logs-1', 'v1', 20, 5, '{}', $2)`,
      [OLD, RECENT],
    );

    // Act
    const without = await deleteExpiredRows(db.pool, { logsDays: 365, experimentsDays: null }, { now: NOW });
    const summary = await deleteExpiredRows(db.pool, { logsDays: null, experimentsDays: null, streamsDays: 30 }, { now: NOW });

    // Assess
    expect(without.deleted.detectorStreams).toBe(0);
    expect(summary.cutoffs).toEqual({ logs: null, experiments: null, streams: '2024-05-02T00:00:00.000Z' });
    expect(summary.deleted).toEqual({ logs: 0, anomalies: 0, deadLetters: 0, experiments: 0, performanceMetrics: 0, consumerLag: 0, detectorStreams: 1 });
    expect(await remaining('SELECT stream_key FROM detector_streams')).toEqual(['logs-1']);
  });
});

describe('parseCleanupArgs', () => {
  it('reads both flags, in either spelling', () => {
    // Act
    const spaced = parseCleanupArgs(['--logs-days', '7', '--experiments-days', '30']);
    const inline = parseCleanupArgs(['--experiments-days=30']);

    // Assess
    expect(spaced).toEqual({ help: false, logsDays: 7, experimentsDays: 30 });
    expect(inline).toEqual({ help: false, logsDays: null, experimentsDays: 30 });
    expect(parseCleanupArgs(['--help'])).toEqual({ help: true });
    expect(parseCleanupArgs(['--streams-days=30'])).toEqual({ help: false, logsDays: null, experimentsDays: null, streamsDays: 30 });
  });

  it.each([
    [[], /nothing to clean: pass --logs-days, --experiments-days and\/or --streams-days/],
    [['--streams-days', '0'], /--streams-days must be a whole number of days between 1 and 36500 \(got "0"\)/],
    [['--logs-days'], /--logs-days needs a number of days/],
    [['--logs-days', '--experiments-days', '3'], /--logs-days needs a number of days/],
    [['--logs-days', '0'], /--logs-days must be a whole number of days between 1 and 36500 \(got "0"\)/],
    [['--logs-days', '-3'], /must be a whole number of days/],
    [['--logs-days', '1.5'], /must be a whole number of days/],
    [['--logs-days', '7d'], /must be a whole number of days/],
    [['--logs-days', '99999999'], /must be a whole number of days/],
    [['--logs-days', '7', '--logs-days', '8'], /--logs-days was given more than once/],
    [['--log-days', '7'], /unknown argument "--log-days"/],
    [['7'], /unknown argument "7"/],
    [["--logs-days='; DROP TABLE logs; --"], /must be a whole number of days/],
  ])('refuses %j', (argv, message) => {
    // Act
    const act = (): unknown => parseCleanupArgs(argv);

    // Assess
    expect(act).toThrow(ConfigError);
    expect(act).toThrow(message);
  });
});
