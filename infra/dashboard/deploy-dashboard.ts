/**
 * Uploads the built dashboard to its bucket and makes the bucket a website:
 * 1. the bucket is created when missing;
 * 2. assets (content-hashed, cached for a year) first, index.html (never cached) last, so a reader
 *    never gets a page whose assets are not there yet; assets of earlier deploys are then removed;
 * 3. website configuration (index document index.html);
 * 4. the read-only public policy for index.html, assets/* and data/* only (bucket-policy.ts); an
 *    emulator without bucket policies (s3rver) is reported as such, not treated as a failure;
 * 5. the URL is fetched to check that it serves this dashboard.
 */
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  PutBucketWebsiteCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { ConfigError, InfrastructureError } from '../../functions/shared/errors.js';
import { dashboardBucketPolicy } from './bucket-policy.js';
import { buildDashboard, DASHBOARD_MARKER, type BuiltDashboard } from './build-dashboard.js';
import { candidateUrls } from './website-url.js';

export interface DeployDashboardOptions {
  readonly s3: S3Client;
  readonly bucket: string;
  /** A finished build to upload; default: build now into .build/dashboard. */
  readonly built?: BuiltDashboard;
  /** The URL to print instead of the derived one (e.g. a CloudFront distribution). */
  readonly websiteUrl?: string;
  /** Apply the public-read policy (default true). */
  readonly publicRead?: boolean;
  /** Fetch used to verify the URL (tests may pass their own); default global fetch. */
  readonly fetch?: typeof fetch;
}

export interface DeployedDashboard {
  /** Where to open the dashboard. */
  readonly url: string;
  /** True when fetching `url` returned this dashboard's page. */
  readonly verified: boolean;
  readonly uploaded: readonly string[];
  readonly removed: readonly string[];
  /** 'applied'; 'not-supported' by this endpoint (s3rver); 'skipped' (publicRead false). */
  readonly policy: 'applied' | 'not-supported' | 'skipped';
}

const bucketPattern = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export async function deployDashboard(options: DeployDashboardOptions): Promise<DeployedDashboard> {
  const { s3, bucket } = options;
  if (!bucketPattern.test(bucket)) throw new ConfigError(`dashboard bucket must be an S3 bucket name of lowercase letters, digits, "." and "-" (got ${JSON.stringify(bucket)})`);
  const built = options.built ?? (await buildDashboard());
  await ensureBucket(s3, bucket);

  const assets = built.files.filter((file) => file.key !== 'index.html');
  const uploaded: string[] = [];
  for (const file of [...assets, ...built.files.filter((file) => file.key === 'index.html')]) {
    const type = contentTypes[extname(file.key)];
    if (type === undefined) throw new ConfigError(`dashboard build holds ${file.key}, a file type the deploy does not serve`);
    const body = await readFile(join(built.outDir, file.key));
    await call(`PutObject ${file.key}`, bucket, () =>
      s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: file.key,
          Body: body,
          ContentType: type,
          CacheControl: file.key === 'index.html' ? 'no-cache, max-age=0' : 'public, max-age=31536000, immutable',
        }),
      ),
    );
    uploaded.push(file.key);
  }
  const removed = await removeOldAssets(s3, bucket, new Set(assets.map((file) => file.key)));

  await call('PutBucketWebsite', bucket, () => s3.send(new PutBucketWebsiteCommand({ Bucket: bucket, WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' } } })));
  const policy = options.publicRead === false ? 'skipped' : await applyPolicy(s3, bucket);

  const endpoint = await s3.config.endpoint?.();
  const derived = endpoint === undefined ? undefined : `${endpoint.protocol}//${endpoint.hostname}${endpoint.port ? `:${endpoint.port}` : ''}${endpoint.path.replace(/\/+$/, '')}`;
  const region = await s3.config.region();
  const candidates = options.websiteUrl === undefined ? candidateUrls(bucket, derived, region) : [options.websiteUrl];
  for (const url of candidates) {
    if (await servesDashboard(url, options.fetch ?? fetch)) return { url, verified: true, uploaded, removed, policy };
  }
  return { url: candidates[0]!, verified: false, uploaded, removed, policy };
}

async function ensureBucket(s3: S3Client, bucket: string): Promise<void> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return;
  } catch (error) {
    if (statusOf(error) !== 404) throw failure('HeadBucket', bucket, error);
  }
  await call('CreateBucket', bucket, () => s3.send(new CreateBucketCommand({ Bucket: bucket })));
}

async function removeOldAssets(s3: S3Client, bucket: string, keep: Set<string>): Promise<string[]> {
  const listed = await call('ListObjectsV2 assets/', bucket, () => s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'assets/', MaxKeys: 1000 })));
  const old = (listed.Contents ?? []).map((object) => object.Key ?? '').filter((key) => key !== '' && !keep.has(key));
  for (const key of old) await call(`DeleteObject ${key}`, bucket, () => s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })));
  return old;
}

async function applyPolicy(s3: S3Client, bucket: string): Promise<'applied' | 'not-supported'> {
  try {
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(dashboardBucketPolicy(bucket)) }));
    return 'applied';
  } catch (error) {
    if ((error as { name?: string }).name === 'NotImplemented' || statusOf(error) === 501) return 'not-supported';
    const hint = statusOf(error) === 403 ? ' (on AWS, S3 Block Public Access refuses public policies: allow it for this bucket, or serve it through CloudFront and deploy with publicRead false)' : '';
    throw failure('PutBucketPolicy', bucket, error, hint);
  }
}

async function servesDashboard(url: string, fetchImpl: typeof fetch): Promise<boolean> {
  try {
    const response = await fetchImpl(url, { redirect: 'follow', signal: AbortSignal.timeout(5_000) });
    return response.ok && (await response.text()).includes(`content="${DASHBOARD_MARKER}"`);
  } catch {
    return false;
  }
}

async function call<T>(operation: string, bucket: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw failure(operation, bucket, error);
  }
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

function failure(operation: string, bucket: string, error: unknown, hint = ''): InfrastructureError {
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new InfrastructureError(`dashboard deploy: S3 ${operation} on bucket ${bucket} failed: ${detail}${hint}`, { cause: error });
}
