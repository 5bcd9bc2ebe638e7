/**
 * The publisher's view of the dashboard bucket: whole JSON objects written with one PutObject each.
 * S3 replaces an object atomically on a successful PUT, so a reader gets the old object or the new
 * one, never part of either. Failures become InfrastructureError naming the operation and key.
 */
import { DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { InfrastructureError, ValidationError } from '../shared/errors.js';
import { dashboardLimits } from './dashboard-data.js';

/** The page re-fetches data every 10 s: caches must revalidate every time. */
const DATA_CACHE_CONTROL = 'no-cache, max-age=0';

export class DashboardStore {
  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
    private readonly maxObjectBytes = dashboardLimits.MAX_OBJECT_BYTES,
  ) {}

  /** Serialises `value` and writes it; an object larger than the limit is refused (ValidationError), nothing written. Returns its size in bytes. */
  async putJson(key: string, value: unknown): Promise<number> {
    const body = Buffer.from(JSON.stringify(value), 'utf8');
    if (body.length > this.maxObjectBytes) {
      throw new ValidationError(`dashboard object ${key} would be ${body.length} bytes, over the ${this.maxObjectBytes}-byte limit`);
    }
    await this.send('PutObject', key, () =>
      this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentType: 'application/json; charset=utf-8',
          CacheControl: DATA_CACHE_CONTROL,
        }),
      ),
    );
    return body.length;
  }

  /** Every key under `prefix`. */
  async listKeys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.send('ListObjectsV2', prefix, () =>
        this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ...(token === undefined ? {} : { ContinuationToken: token }) })),
      );
      for (const object of page.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return keys;
  }

  /** Deletes the keys one by one (few at a time: stale experiment objects); a missing key is not an error. */
  async deleteKeys(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      await this.send('DeleteObject', key, () => this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key })));
    }
  }

  private async send<T>(operation: string, key: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw s3Failure(operation, this.bucket, key, error);
    }
  }
}

function s3Failure(operation: string, bucket: string, key: string, error: unknown): InfrastructureError {
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new InfrastructureError(`S3 ${operation} ${key} in bucket ${bucket} failed: ${detail}`, { cause: error });
}
