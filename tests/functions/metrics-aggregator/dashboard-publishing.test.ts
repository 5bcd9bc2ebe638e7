import { readFileSync } from 'node:fs';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REALTIME_KEY, type RealtimeSnapshot } from '../../../functions/dashboard-publisher/index.js';
import { closeMetricsAggregator, handler } from '../../../functions/metrics-aggregator/index.js';
import { resetProcessEnvCache } from '../../../functions/shared/config/index.js';
import { captureOutput, type CapturedOutput } from '../../helpers/captured-output.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';
import { startTestS3, type TestS3 } from '../../helpers/s3.js';

const context = { awsRequestId: 'da5b0a2d-0000-4000-8000-000000000001' };
/** tests/events/msk-metrics-event.json: what `serverless invoke local -f metrics-aggregator` is given. */
const metricsEvent = (): unknown => JSON.parse(readFileSync(new URL('../../events/msk-metrics-event.json', import.meta.url), 'utf8'));

describe('metrics-aggregator handler publishing the dashboard data (DASHBOARD_BUCKET)', () => {
  let db: TestDatabase;
  let s3: TestS3;
  let output: CapturedOutput;
  const saved = { ...process.env };

  beforeAll(async () => {
    [db, s3] = await Promise.all([createTestDatabase(), startTestS3(['dashboard'])]);
    output = captureOutput();
  });
  afterEach(async () => {
    await closeMetricsAggregator();
    process.env = { ...saved };
    resetProcessEnvCache();
  });
  afterAll(async () => {
    output?.restore();
    await Promise.all([db?.drop(), s3?.stop()]);
  });

  function configure(extra: Record<string, string>): void {
    Object.assign(process.env, {
      DATABASE_URL: db.connectionString,
      LAG_SAMPLING: 'false',
      KAFKA_TOPIC: 'logs',
      METRICS_TOPIC: 'metrics',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      ...extra,
    });
    delete process.env.DASHBOARD_BUCKET;
    if (extra.DASHBOARD_BUCKET !== undefined) process.env.DASHBOARD_BUCKET = extra.DASHBOARD_BUCKET;
    resetProcessEnvCache();
  }

  const snapshotWrites = (bucket: string): number => s3.writes.filter((write) => write.bucket === bucket && write.key === REALTIME_KEY).length;

  it('publishes after a batch, then not again within the minimum interval', async () => {
    // Prepare
    configure({ DASHBOARD_BUCKET: 'dashboard', DASHBOARD_PUBLISH_MIN_INTERVAL_SECONDS: '3600' });

    // Act
    const first = await handler(metricsEvent(), context);
    const second = await handler(metricsEvent(), context);

    // Assess
    expect(first.metricsStored).toBeGreaterThan(0);
    expect(second.duplicates).toBe(first.metricsStored);
    expect(snapshotWrites('dashboard')).toBe(1);
  });

  it("states the detector's training windows from its variables (TRAINING_WINDOW, FIRST_TRAINING_WINDOW)", async () => {
    // Prepare
    configure({ DASHBOARD_BUCKET: 'dashboard', TRAINING_WINDOW: '300', FIRST_TRAINING_WINDOW: '500' });

    // Act
    await handler(metricsEvent(), context);
    const object = await s3.client.send(new GetObjectCommand({ Bucket: 'dashboard', Key: REALTIME_KEY }));
    const snapshot = JSON.parse(await object.Body!.transformToString()) as RealtimeSnapshot;

    // Assess: FIRST_TRAINING_WINDOW is cut to TRAINING_WINDOW, as the detector cuts it
    expect(snapshot.training).toEqual({ trainingWindow: 300, firstTrainingWindow: 300, storedTowardFirst: 0 });
  });

  it('does not publish without DASHBOARD_BUCKET', async () => {
    // Prepare
    configure({});
    const before = s3.writes.length;

    // Act
    await handler(metricsEvent(), context);

    // Assess
    expect(s3.writes.length).toBe(before);
  });

  it('never fails the batch when publishing fails: it logs a warning', async () => {
    // Prepare
    configure({ DASHBOARD_BUCKET: 'no-such-bucket' });
    output.clear();

    // Act
    const summary = await handler(metricsEvent(), context);

    // Assess
    expect(summary.records).toBeGreaterThan(0);
    const warnings = output.jsonLines().filter((line) => line.level === 'WARN');
    expect(warnings).toEqual([expect.objectContaining({ message: 'dashboard publication failed', component: 'dashboard-publisher', error: expect.stringMatching(/NoSuchBucket/) })]);
  });
});
