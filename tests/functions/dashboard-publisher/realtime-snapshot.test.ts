import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDashboardPublication, dashboardLimits, fitToSize, readRealtimeSnapshot, REALTIME_KEY, type RealtimeSnapshot } from '../../../functions/dashboard-publisher/index.js';
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

async function publishedSnapshot(training?: { trainingWindow: number; firstTrainingWindow: number }): Promise<RealtimeSnapshot> {
  await createDashboardPublication({ db: db.pool, s3: s3.client, bucket: BUCKET, ...(training === undefined ? {} : { training }) }).publish();
  const object = await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: REALTIME_KEY }));
  expect(object.ContentType).toBe('application/json; charset=utf-8');
  expect(object.CacheControl).toBe('no-cache, max-age=0');
  return JSON.parse(await object.Body!.transformToString()) as RealtimeSnapshot;
}

describe('the real-time snapshot', () => {
  it('sums the last hour of stored logs: totals, levels, services, one timeline point per minute, anomalies and logs newest first', async () => {
    // Prepare: 6 logs now (2 anomalies), 1 dead letter now, and 3 logs stored two hours ago
    const old = await storeLogs(db.pool, [{ service: 'old-svc', level: 'INFO' }, { service: 'old-svc', level: 'INFO' }, { service: 'old-svc', level: 'ERROR', anomalyScore: 0.9 }]);
    await db.pool.query(`UPDATE logs SET stored_at = now() - interval '2 hours' WHERE log_id = ANY($1)`, [old]);
    const recent = await storeLogs(db.pool, [
      { service: 'auth', level: 'INFO' },
      { service: 'auth', level: 'INFO' },
      { service: 'auth', level: 'ERROR', anomalyScore: 0.71 },
      { service: 'payments', level: 'WARN' },
      { service: 'payments', level: 'ERROR', anomalyScore: 0.83 },
      { service: 'search', level: 'INFO' },
    ]);
    await db.pool.query(`INSERT INTO dead_letters (topic, partition, kafka_offset, reason, component) VALUES ('logs', 0, 999, 'not JSON', 'detector')`);
    // The rows above were written around the repositories: recount the rollups from them
    await db.pool.query('SELECT rebuild_rollups()');

    // Act
    const snapshot = await publishedSnapshot();

    // Assess
    expect(snapshot).toMatchObject({ schema: 1, kind: 'realtime', windowMinutes: 60 });
    expect(snapshot.totals).toEqual({ logs: 6, anomalies: 2, anomalyRate: 0.333333, activeServices: 3, deadLetters: 1 });
    expect(snapshot.levels).toEqual([
      { level: 'INFO', count: 3 },
      { level: 'ERROR', count: 2 },
      { level: 'WARN', count: 1 },
    ]);
    expect(snapshot.services).toEqual([
      { service: 'auth', logs: 3, anomalies: 1 },
      { service: 'payments', logs: 2, anomalies: 1 },
      { service: 'search', logs: 1, anomalies: 0 },
    ]);
    expect(snapshot.timeline).toHaveLength(60);
    expect(snapshot.timeline.reduce((sum, point) => sum + point.logs, 0)).toBe(6);
    expect(snapshot.timeline.at(-1)!.minute <= snapshot.generatedAt).toBe(true);
    expect(snapshot.recentLogs.map((log) => log.logId)).toEqual([...recent].reverse());
    expect(snapshot.recentLogs[0]).toMatchObject({ service: 'search', level: 'INFO', anomalous: false, score: null });
    expect(snapshot.recentAnomalies.map((card) => card.score)).toEqual([0.83, 0.71]);
    expect(snapshot.recentAnomalies[0]).toMatchObject({
      service: 'payments',
      threshold: 0.6,
      modelVersion: 'model-v1',
      features: { service: 0.25, message_length: 120 },
      contributions: [
        { feature: 'message_length', contribution: 0.3 },
        { feature: 'service', contribution: 0.1 },
      ],
    });
    expect(snapshot.model).toBeNull();
    // All 9 stored logs count toward the first model, not only the window's
    expect(snapshot.training).toEqual({ trainingWindow: 1000, firstTrainingWindow: 200, storedTowardFirst: 9 });
  });

  it('keeps attacker-controlled text verbatim but bounded, and drops jsonb that is not the expected shape', async () => {
    // Prepare
    const markup = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    await storeLogs(db.pool, [
      { service: 'web', level: 'ERROR', message: `${markup}${'x'.repeat(10_000)}`, host: markup, anomalyScore: 0.9, contributions: 'not a list', features: { service: 0.5 } },
      { service: 'web', level: 'INFO', message: markup, anomalyScore: 0.8, contributions: { hour: 0.4, minute: 'late', level: 0.2 } },
    ]);

    // Act
    const snapshot = await publishedSnapshot();

    // Assess
    const [second, first] = snapshot.recentAnomalies;
    expect(first!.message).toHaveLength(dashboardLimits.MAX_MESSAGE_CHARS);
    expect(first!.message.startsWith(markup)).toBe(true);
    expect(first!.message.endsWith('…')).toBe(true);
    expect(first!.host).toBe(markup);
    expect(first!.contributions).toEqual([]);
    expect(second!.message).toBe(markup);
    expect(second!.contributions).toEqual([
      { feature: 'hour', contribution: 0.4 },
      { feature: 'level', contribution: 0.2 },
    ]);
    expect(snapshot.recentLogs[1]!.message).toHaveLength(dashboardLimits.MAX_MESSAGE_CHARS);
  });

  it('holds at most 500 logs, and fitToSize halves the lists until the object fits', async () => {
    // Prepare
    await storeLogs(db.pool, Array.from({ length: 620 }, (_, i) => ({ service: `svc-${i % 20}`, level: 'INFO', anomalyScore: i % 10 === 0 ? 0.7 : undefined })));

    // Act
    const snapshot = await readRealtimeSnapshot(db.pool);
    const fitted = fitToSize(snapshot, 20_000);

    // Assess
    expect(snapshot.totals.logs).toBe(620);
    expect(snapshot.recentLogs).toHaveLength(dashboardLimits.MAX_RECENT_LOGS);
    expect(snapshot.recentAnomalies).toHaveLength(dashboardLimits.MAX_RECENT_ANOMALIES);
    expect(snapshot.services).toHaveLength(dashboardLimits.MAX_SERVICES + 1);
    expect(snapshot.services.at(-1)).toEqual({ service: '(other)', logs: 620 - 15 * 31, anomalies: expect.any(Number) });
    expect(Buffer.byteLength(JSON.stringify(fitted))).toBeLessThanOrEqual(20_000);
    expect(fitted.recentLogs.length).toBeLessThan(500);
    expect(fitted.totals).toEqual(snapshot.totals);
  });

  it('reads the window on the database clock with the active model', async () => {
    // Prepare
    await db.pool.query(
      `INSERT INTO models (version, feature_schema_version, trained_at, training_rows, threshold, contamination, artifact_key)
       VALUES ('m-2', 'fs', now(), 1000, 0.61, 0.1, 'models/m-2/model.json')`,
    );

    // Act
    const snapshot = await readRealtimeSnapshot(db.pool, 15);

    // Assess
    expect(snapshot.windowMinutes).toBe(15);
    expect(snapshot.timeline).toHaveLength(15);
    expect(snapshot.totals).toEqual({ logs: 0, anomalies: 0, anomalyRate: 0, activeServices: 0, deadLetters: 0 });
    expect(snapshot.model).toMatchObject({ version: 'm-2', threshold: 0.61, trainingRows: 1000, provisional: false });
    expect(snapshot.training).toEqual({ trainingWindow: 1000, firstTrainingWindow: 200, storedTowardFirst: null });
  });

  it("flags a model trained on fewer records than the detector's training window as provisional, by the windows it is given", async () => {
    // Prepare: a first model of 200 rows (the detector's defaults: provisional)
    await db.pool.query(
      `INSERT INTO models (version, feature_schema_version, trained_at, training_rows, threshold, contamination, artifact_key)
       VALUES ('m-first', 'fs', now(), 200, 0.6, 0.1, 'models/m-first/model.json')`,
    );

    // Act
    const byDefaults = await publishedSnapshot();
    const configured = await publishedSnapshot({ trainingWindow: 200, firstTrainingWindow: 50 });

    // Assess
    expect(byDefaults.model).toMatchObject({ version: 'm-first', trainingRows: 200, provisional: true });
    expect(byDefaults.training).toEqual({ trainingWindow: 1000, firstTrainingWindow: 200, storedTowardFirst: null });
    expect(configured.model).toMatchObject({ version: 'm-first', trainingRows: 200, provisional: false });
    expect(configured.training).toEqual({ trainingWindow: 200, firstTrainingWindow: 50, storedTowardFirst: null });
  });

  it('counts the logs stored toward the first model no further than firstTrainingWindow', async () => {
    // Prepare
    await storeLogs(db.pool, Array.from({ length: 60 }, (_, i) => ({ service: `svc-${i % 3}`, level: 'INFO' })));

    // Act
    const snapshot = await readRealtimeSnapshot(db.pool, 60, { trainingWindow: 100, firstTrainingWindow: 40 });

    // Assess
    expect(snapshot.model).toBeNull();
    expect(snapshot.training).toEqual({ trainingWindow: 100, firstTrainingWindow: 40, storedTowardFirst: 40 });
  });
});
