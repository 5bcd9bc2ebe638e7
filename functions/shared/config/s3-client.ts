import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { S3Config } from './s3-config.js';

/**
 * An S3 client for the configured region and endpoint. Checksums are computed and validated
 * only when an operation requires them: the SDK's default (flexible checksums on every upload,
 * sent as aws-chunked trailers) makes the s3rver emulator store streamed bodies corrupted.
 * Path-style addressing follows the config (on whenever an endpoint override is set unless
 * S3_FORCE_PATH_STYLE=false). `overrides` is for credentials or retries in tests.
 */
export function createS3Client(config: S3Config, overrides: Partial<S3ClientConfig> = {}): S3Client {
  return new S3Client({
    region: config.region,
    ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
    forcePathStyle: config.forcePathStyle,
    ...overrides,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
