import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetBucketWebsiteCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, InfrastructureError } from '../../../functions/shared/errors.js';
import { dashboardBucketPolicy } from '../../../infra/dashboard/bucket-policy.js';
import { buildDashboard, type BuiltDashboard } from '../../../infra/dashboard/build-dashboard.js';
import { deployDashboard } from '../../../infra/dashboard/deploy-dashboard.js';
import { candidateUrls } from '../../../infra/dashboard/website-url.js';
import { freePort } from '../../helpers/free-port.js';
import { startTestS3, type TestS3 } from '../../helpers/s3.js';

let s3: TestS3;
let scratch: string;
let built: BuiltDashboard;

beforeAll(async () => {
  [s3, scratch] = await Promise.all([startTestS3(['log-anomaly-models', 'log-anomaly-dashboard']), mkdtemp(join(tmpdir(), 'dashboard-deploy-'))]);
  built = await buildDashboard({ outDir: join(scratch, 'dist') });
});
afterAll(async () => {
  await s3?.stop();
  await rm(scratch, { recursive: true, force: true });
});

describe('deployDashboard', () => {
  it('uploads the page, configures website hosting and returns a URL that serves it', async () => {
    // Act
    const deployed = await deployDashboard({ s3: s3.client, bucket: 'log-anomaly-dashboard', built });

    // Assess
    expect(deployed).toMatchObject({ url: `${s3.endpoint}/log-anomaly-dashboard/`, verified: true, policy: 'not-supported' });
    expect(deployed.uploaded.at(-1)).toBe('index.html');
    const page = await fetch(deployed.url);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('Log anomaly detection');
    const website = await s3.client.send(new GetBucketWebsiteCommand({ Bucket: 'log-anomaly-dashboard' }));
    expect(website.IndexDocument?.Suffix).toBe('index.html');
    const script = await s3.client.send(new HeadObjectCommand({ Bucket: 'log-anomaly-dashboard', Key: built.files[1]!.key }));
    expect(script).toMatchObject({ ContentType: 'text/javascript; charset=utf-8', CacheControl: 'public, max-age=31536000, immutable' });
    const index = await s3.client.send(new HeadObjectCommand({ Bucket: 'log-anomaly-dashboard', Key: 'index.html' }));
    expect(index.CacheControl).toBe('no-cache, max-age=0');
    expect(s3.writes.filter((write) => write.bucket === 'log-anomaly-models')).toEqual([]);
  });

  it('replaces the assets of an earlier deploy and creates a missing bucket', async () => {
    // Prepare: a build whose stylesheet differs (so its hash does)
    const second = await buildDashboard({ outDir: join(scratch, 'dist-2'), minify: false });

    // Act
    const fresh = await deployDashboard({ s3: s3.client, bucket: 'brand-new-dashboard', built });
    const redeployed = await deployDashboard({ s3: s3.client, bucket: 'brand-new-dashboard', built: second });

    // Assess
    expect(fresh.verified).toBe(true);
    expect([...redeployed.removed].sort()).toEqual(built.files.slice(1).map((file) => file.key).sort());
    const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: 'brand-new-dashboard' }));
    expect((listed.Contents ?? []).map((object) => object.Key).sort()).toEqual(second.files.map((file) => file.key).sort());
  });

  it('refuses a bad bucket name and reports an unreachable endpoint as an InfrastructureError', async () => {
    // Prepare
    const unreachable = s3.newClient(`http://127.0.0.1:${await freePort()}`);

    // Act + Assess
    await expect(deployDashboard({ s3: s3.client, bucket: 'Not_A_Bucket', built })).rejects.toThrow(ConfigError);
    await expect(deployDashboard({ s3: unreachable, bucket: 'log-anomaly-dashboard', built })).rejects.toThrow(InfrastructureError);
  });

  it('refuses a build holding a file type it does not serve', async () => {
    // Prepare
    await writeFile(join(built.outDir, 'payload.exe'), 'MZ');
    const tampered = { ...built, files: [...built.files, { key: 'payload.exe', bytes: 2 }] };

    // Act + Assess
    await expect(deployDashboard({ s3: s3.client, bucket: 'log-anomaly-dashboard', built: tampered })).rejects.toThrow(/payload\.exe, a file type the deploy does not serve/);
  });
});

describe('the dashboard bucket policy and URL', () => {
  it('allows anonymous GetObject on the page, its assets and its data only', () => {
    // Act
    const policy = dashboardBucketPolicy('log-anomaly-dashboard');

    // Assess
    expect(policy.Statement).toEqual([
      {
        Sid: 'PublicReadDashboardObjectsOnly',
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: ['arn:aws:s3:::log-anomaly-dashboard/index.html', 'arn:aws:s3:::log-anomaly-dashboard/assets/*', 'arn:aws:s3:::log-anomaly-dashboard/data/*'],
      },
    ]);
    expect(JSON.stringify(policy)).not.toContain('log-anomaly-models');
  });

  it('derives the website endpoint: path-style under an endpoint override, the region website host on AWS', () => {
    // Act + Assess
    expect(candidateUrls('dash', 'http://127.0.0.1:4569/', 'us-east-1')).toEqual(['http://127.0.0.1:4569/dash/', 'http://127.0.0.1:4569/dash/index.html']);
    expect(candidateUrls('dash', undefined, 'us-east-1')).toEqual(['http://dash.s3-website-us-east-1.amazonaws.com/']);
    expect(candidateUrls('dash', undefined, 'eu-central-1')).toEqual(['http://dash.s3-website.eu-central-1.amazonaws.com/']);
  });
});
