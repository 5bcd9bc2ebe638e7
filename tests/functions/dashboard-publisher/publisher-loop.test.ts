import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDashboardPublication,
  createThrottledPublisher,
  loadDashboardPublisherConfig,
  REALTIME_KEY,
  startDashboardPublisher,
  type DashboardPublication,
  type PublishSummary,
} from '../../../functions/dashboard-publisher/index.js';
import { DashboardStore } from '../../../functions/dashboard-publisher/s3-json-store.js';
import { createPool } from '../../../functions/shared/db/index.js';
import { ConfigError, InfrastructureError, ValidationError } from '../../../functions/shared/errors.js';
import { freePort } from '../../helpers/free-port.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';
import { startTestS3, type TestS3 } from '../../helpers/s3.js';

let db: TestDatabase;
let s3: TestS3;

beforeAll(async () => {
  [db, s3] = await Promise.all([createTestDatabase(), startTestS3(['dashboard'])]);
});
afterAll(async () => {
  await Promise.all([db?.drop(), s3?.stop()]);
});

const realtimeWrites = (bucket: string): number => s3.writes.filter((write) => write.bucket === bucket && write.key === REALTIME_KEY).length;

describe('startDashboardPublisher', () => {
  it('publishes at once and again after each interval until stopped', async () => {
    // Prepare
    const lines: Array<Record<string, unknown>> = [];
    const before = realtimeWrites('dashboard');

    // Act
    const publisher = startDashboardPublisher({ db: db.pool, s3: s3.client, bucket: 'dashboard', intervalMs: 200, log: (line) => lines.push(line) });
    await expect.poll(() => realtimeWrites('dashboard') - before, { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
    await publisher.stop();
    const atStop = realtimeWrites('dashboard');
    const manual = await publisher.publishNow();

    // Assess
    expect(lines).toEqual([expect.objectContaining({ level: 'INFO', message: 'dashboard published', component: 'dashboard-publisher', bucket: 'dashboard' })]);
    expect(manual.realtimeBytes).toBeGreaterThan(0);
    expect(realtimeWrites('dashboard')).toBe(atStop + 1);
  });

  it('logs a failed publication, keeps going, and logs the recovery', async () => {
    // Prepare: the bucket does not exist yet
    const lines: Array<Record<string, unknown>> = [];
    const publisher = startDashboardPublisher({ db: db.pool, s3: s3.client, bucket: 'late-bucket', intervalMs: 200, log: (line) => lines.push(line) });

    // Act
    await expect.poll(() => lines.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
    await s3.client.send(new CreateBucketCommand({ Bucket: 'late-bucket' }));
    await expect.poll(() => lines.some((line) => line.message === 'dashboard publishing recovered'), { timeout: 20_000 }).toBe(true);
    await publisher.stop();

    // Assess
    expect(lines[0]).toMatchObject({ level: 'ERROR', message: 'dashboard publication failed', bucket: 'late-bucket' });
    expect(String(lines[0]!.error)).toMatch(/real-time snapshot: S3 PutObject data\/realtime\.json in bucket late-bucket failed: NoSuchBucket/);
    expect(realtimeWrites('late-bucket')).toBeGreaterThanOrEqual(1);
  });

  it('refuses an interval outside 200 ms – 1 h', () => {
    // Act + Assess
    for (const intervalMs of [0, 50, 1.5, 3_600_001, Number.NaN]) {
      expect(() => startDashboardPublisher({ db: db.pool, s3: s3.client, bucket: 'dashboard', intervalMs })).toThrow(ConfigError);
    }
  });
});

describe('a publication that fails', () => {
  it('names every part that failed when PostgreSQL is unreachable', async () => {
    // Prepare
    const pool = createPool({ connectionString: `postgres://nobody:secret@127.0.0.1:${await freePort()}/none`, connectionTimeoutMs: 2_000 });
    const publication = createDashboardPublication({ db: pool, s3: s3.client, bucket: 'dashboard' });

    // Act
    const error = await publication.publish().then(
      () => null,
      (failure: unknown) => failure as Error,
    );
    await pool.end();

    // Assess
    expect(error).toBeInstanceOf(InfrastructureError);
    expect(error!.message).toMatch(/^dashboard publication failed: real-time snapshot: readRealtimeSnapshot: PostgreSQL failed.*; experiments: readExperimentRows: PostgreSQL failed/);
    expect(error!.message).not.toContain('secret');
  });

  it('refuses to write an object over the size limit, writing nothing', async () => {
    // Prepare
    const store = new DashboardStore(s3.client, 'dashboard', 1_000);
    const before = s3.writes.length;

    // Act + Assess
    await expect(store.putJson('data/too-big.json', { text: 'x'.repeat(2_000) })).rejects.toThrow(ValidationError);
    await expect(store.putJson('data/too-big.json', { text: 'x'.repeat(2_000) })).rejects.toThrow(/would be 2011 bytes, over the 1000-byte limit/);
    expect(s3.writes.length).toBe(before);
  });
});

describe('createThrottledPublisher (publishing after each aggregator batch)', () => {
  function countingPublication(fail = false): DashboardPublication & { calls: number } {
    const publication = {
      calls: 0,
      async publish(): Promise<PublishSummary> {
        publication.calls += 1;
        if (fail) throw new InfrastructureError('S3 down');
        return { realtimeBytes: 10, experiments: 0, experimentObjectsWritten: 0, staleObjectsDeleted: 0 };
      },
    };
    return publication;
  }

  it('publishes at most once per interval on the given clock', async () => {
    // Prepare
    let now = 1_000_000;
    const publication = countingPublication();
    const throttled = createThrottledPublisher({ publication, minIntervalMs: 5_000, now: () => now, log: () => undefined });

    // Act
    const first = await throttled.maybePublish();
    now += 4_999;
    const tooSoon = await throttled.maybePublish();
    now += 1;
    const due = await throttled.maybePublish();

    // Assess
    expect(first).not.toBeNull();
    expect(tooSoon).toBeNull();
    expect(due).not.toBeNull();
    expect(publication.calls).toBe(2);
  });

  it('logs a failure as a warning and returns null instead of throwing', async () => {
    // Prepare
    const lines: Array<Record<string, unknown>> = [];
    const throttled = createThrottledPublisher({ publication: countingPublication(true), minIntervalMs: 1, log: (line) => lines.push(line) });

    // Act
    const result = await throttled.maybePublish();

    // Assess
    expect(result).toBeNull();
    expect(lines).toEqual([{ level: 'WARN', message: 'dashboard publication failed', component: 'dashboard-publisher', error: 'S3 down' }]);
  });
});

describe('loadDashboardPublisherConfig', () => {
  it('is off without DASHBOARD_BUCKET and has the documented defaults', () => {
    // Act + Assess
    expect(loadDashboardPublisherConfig({})).toEqual({ bucket: null, minIntervalSeconds: 5, windowMinutes: 60 });
    expect(loadDashboardPublisherConfig({ DASHBOARD_BUCKET: 'log-anomaly-dashboard', DASHBOARD_PUBLISH_MIN_INTERVAL_SECONDS: '10', DASHBOARD_WINDOW_MINUTES: '30' })).toEqual({
      bucket: 'log-anomaly-dashboard',
      minIntervalSeconds: 10,
      windowMinutes: 30,
    });
  });

  it('names every bad variable at once', () => {
    // Act
    const error = (() => {
      try {
        loadDashboardPublisherConfig({ DASHBOARD_BUCKET: 'Bad_Bucket', DASHBOARD_PUBLISH_MIN_INTERVAL_SECONDS: '0', DASHBOARD_WINDOW_MINUTES: 'an hour' });
        return null;
      } catch (failure) {
        return failure as Error;
      }
    })();

    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.message).toMatch(/DASHBOARD_BUCKET .*Bad_Bucket/);
    expect(error!.message).toMatch(/DASHBOARD_PUBLISH_MIN_INTERVAL_SECONDS/);
    expect(error!.message).toMatch(/DASHBOARD_WINDOW_MINUTES/);
  });
});
