/**
 * The s3rver S3 emulator with its objects in `<dataDir>/s3` (kept across restarts) and the
 * pipeline's buckets created at start (existing ones are left as they are).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import S3rver from 's3rver';
import { isAddressInUse } from './ports.js';
import { PortInUseError } from './errors.js';

/** s3rver accepts any well-formed signature (allowMismatchedSignatures); these are the usual dummies. */
export const localS3Credentials = Object.freeze({ accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' });

export interface RunningS3 {
  readonly port: number;
  /** http://host:port */
  readonly endpoint: string;
  readonly buckets: readonly string[];
  /** Closes the HTTP server. Idempotent. */
  stop(): Promise<void>;
}

export interface StartS3Options {
  host: string;
  port: number;
  dataDir: string;
  buckets: readonly string[];
}

export async function startS3(options: StartS3Options): Promise<RunningS3> {
  const directory = join(options.dataDir, 's3');
  await mkdir(directory, { recursive: true });
  const server = new S3rver({
    address: options.host,
    port: options.port,
    silent: true,
    directory,
    allowMismatchedSignatures: true,
    vhostBuckets: false,
    configureBuckets: options.buckets.map((name) => ({ name })),
  });
  let address: { port: number };
  try {
    address = await server.run();
  } catch (error) {
    if (isAddressInUse(error)) throw new PortInUseError('S3 (s3rver)', options.host, options.port, '--s3-port');
    throw error;
  }
  let stopped: Promise<void> | null = null;
  return {
    port: address.port,
    endpoint: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${address.port}`,
    buckets: [...options.buckets],
    stop: () => (stopped ??= server.close()),
  };
}
