import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetBucketWebsiteCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard, type BuiltDashboard } from '../../../infra/dashboard/build-dashboard.js';
import { uploadLocalStackDashboard } from '../../../infra/deploy/localstack-dashboard.js';
import { startTestS3, type TestS3 } from '../../helpers/s3.js';

/** The upload `npm run deploy:localstack` ends with, against an S3 emulator (s3rver) standing in for LocalStack's S3. */
describe('uploadLocalStackDashboard', () => {
  let s3: TestS3;
  let scratch: string;
  let built: BuiltDashboard;

  beforeAll(async () => {
    [s3, scratch] = await Promise.all([startTestS3(['log-anomaly-dashboard']), mkdtemp(join(tmpdir(), 'localstack-dashboard-'))]);
    built = await buildDashboard({ outDir: join(scratch, 'dist') });
  });
  afterAll(async () => {
    await s3?.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  it('puts the page and its assets in the dashboard bucket, so the printed URL serves a page', async () => {
    // Act
    const result = await uploadLocalStackDashboard({ endpoint: s3.endpoint, region: 'us-east-1', built, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });

    // Assess
    expect(result).toEqual({ uploaded: built.files.length, verified: true });
    const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: 'log-anomaly-dashboard' }));
    expect((listed.Contents ?? []).map((object) => object.Key).sort()).toEqual(built.files.map((file) => file.key).sort());
    const website = await s3.client.send(new GetBucketWebsiteCommand({ Bucket: 'log-anomaly-dashboard' }));
    expect(website.IndexDocument?.Suffix).toBe('index.html');
    expect(s3.writes.every((write) => write.bucket === 'log-anomaly-dashboard')).toBe(true);
  });
});
