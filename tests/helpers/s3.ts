import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

export interface TestS3 {
  /** `http://127.0.0.1:<port>` of the running emulator. */
  readonly endpoint: string;
  /** A client configured the way the pipeline configures its own (path-style, checksums only when required). */
  readonly client: S3Client;
  /**
   * Object writes and deletes in the order the emulator completed them (from its event stream, so
   * nothing is intercepted): e.g. `{ event: 'ObjectCreated:Put', bucket: 'models', key: 'models/latest' }`.
   */
  readonly writes: readonly S3Write[];
  /** A further client (e.g. a second "container"), for this emulator unless `endpoint` is given; destroyed by `stop()`. */
  newClient(endpoint?: string): S3Client;
  /** Destroys the clients, closes the emulator and removes its data directory. */
  stop(): Promise<void>;
}

export interface S3Write {
  readonly event: string;
  readonly bucket: string;
  readonly key: string;
}

/** s3rver accepts these (or any well-formed signature, see `allowMismatchedSignatures`). */
const DUMMY_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/**
 * Starts the s3rver S3 emulator on a free loopback port with its data in a fresh temp directory,
 * silent, with `buckets` created. The client must not compute request checksums by default:
 * s3rver stores an aws-chunked (checksum-trailer) upload body verbatim, i.e. corrupted.
 */
export async function startTestS3(buckets: readonly string[] = []): Promise<TestS3> {
  const directory = await mkdtemp(join(tmpdir(), 's3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    allowMismatchedSignatures: true,
    vhostBuckets: false,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const writes: S3Write[] = [];
  server.on('event', (notification: S3Notification) => {
    for (const record of notification.Records) writes.push({ event: record.eventName, bucket: record.s3.bucket.name, key: record.s3.object.key });
  });
  let address: { port: number };
  try {
    address = await server.run();
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  const endpoint = `http://127.0.0.1:${address.port}`;
  const clients: S3Client[] = [];
  const newClient = (target = endpoint): S3Client => {
    const client = new S3Client({
      endpoint: target,
      region: 'us-east-1',
      credentials: DUMMY_CREDENTIALS,
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 1,
    });
    clients.push(client);
    return client;
  };
  const client = newClient();
  return {
    endpoint,
    client,
    writes,
    newClient,
    async stop() {
      for (const each of clients) each.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** The part of s3rver's S3-style event notification the helper reads. */
interface S3Notification {
  Records: Array<{ eventName: string; s3: { bucket: { name: string }; object: { key: string } } }>;
}
