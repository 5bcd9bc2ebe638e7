import { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '../../../../functions/shared/config/s3-client.js';
import { loadS3Config } from '../../../../functions/shared/config/s3-config.js';
import { ConfigError } from '../../../../functions/shared/errors.js';
import { startTestS3, type TestS3 } from '../../../helpers/s3.js';

const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

describe('loadS3Config', () => {
  it('defaults to AWS in us-east-1 with virtual-hosted addressing and the model bucket', () => {
    // Act
    const config = loadS3Config({});

    // Assess
    expect(config).toEqual({ region: 'us-east-1', endpoint: undefined, forcePathStyle: false, modelBucket: 'log-anomaly-models' });
  });

  it('takes the S3 endpoint from AWS_ENDPOINT_URL_S3 before AWS_ENDPOINT_URL and turns on path style for it', () => {
    // Act
    const specific = loadS3Config({ AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4569/', AWS_ENDPOINT_URL: 'http://127.0.0.1:1', AWS_REGION: 'eu-central-1' });
    const general = loadS3Config({ AWS_ENDPOINT_URL: 'http://localhost:4566' });
    const virtualHosted = loadS3Config({ AWS_ENDPOINT_URL_S3: 'https://s3.example.com', S3_FORCE_PATH_STYLE: 'false', MODEL_BUCKET: 'models.v2' });

    // Assess
    expect(specific).toEqual({ region: 'eu-central-1', endpoint: 'http://127.0.0.1:4569', forcePathStyle: true, modelBucket: 'log-anomaly-models' });
    expect(general).toMatchObject({ endpoint: 'http://localhost:4566', forcePathStyle: true });
    expect(virtualHosted).toMatchObject({ forcePathStyle: false, modelBucket: 'models.v2' });
  });

  it.each([
    ['MODEL_BUCKET', 'Log_Anomaly_Models', 'must be an S3 bucket name'],
    ['MODEL_BUCKET', 'ab', 'must be an S3 bucket name'],
    ['MODEL_BUCKET', '../etc', 'must be an S3 bucket name'],
    ['AWS_REGION', 'mars-1', 'must be an AWS region such as us-east-1'],
    ['AWS_ENDPOINT_URL_S3', 'file:///etc/passwd', 'must be an http:// or https:// URL'],
    ['S3_FORCE_PATH_STYLE', 'sure', 'must be true or false'],
  ])('rejects %s=%j', (name, value, expected) => {
    // Act
    let error: unknown;
    try {
      loadS3Config({ [name]: value });
    } catch (caught) {
      error = caught;
    }

    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(`${name} ${expected}`);
  });
});

describe('createS3Client against the s3rver emulator', () => {
  let s3: TestS3;
  let client: S3Client;

  beforeAll(async () => {
    s3 = await startTestS3(['log-anomaly-models']);
    client = createS3Client(loadS3Config({ AWS_ENDPOINT_URL_S3: s3.endpoint }), { credentials, maxAttempts: 1 });
  });

  afterAll(async () => {
    client?.destroy();
    await s3?.stop();
  });

  it('configures checksums only when required and path-style addressing, whatever the overrides say', async () => {
    // Prepare
    const overridden = createS3Client(loadS3Config({ AWS_ENDPOINT_URL_S3: s3.endpoint }), { requestChecksumCalculation: 'WHEN_SUPPORTED' });

    // Act
    const request = await client.config.requestChecksumCalculation();
    const response = await client.config.responseChecksumValidation();
    const forced = await overridden.config.requestChecksumCalculation();
    overridden.destroy();

    // Assess
    expect(request).toBe('WHEN_REQUIRED');
    expect(response).toBe('WHEN_REQUIRED');
    expect(forced).toBe('WHEN_REQUIRED');
    expect(client.config.forcePathStyle).toBe(true);
  });

  it('stores a streamed upload byte for byte', async () => {
    // Prepare
    const body = Buffer.from(JSON.stringify({ trees: Array.from({ length: 200 }, (_, index) => ({ index, split: index * 0.5 })) }));

    // Act
    await client.send(
      new PutObjectCommand({ Bucket: 'log-anomaly-models', Key: 'models/stream-test.json', Body: Readable.from([body.subarray(0, 1000), body.subarray(1000)]), ContentLength: body.length }),
    );
    const stored = await client.send(new GetObjectCommand({ Bucket: 'log-anomaly-models', Key: 'models/stream-test.json' }));
    const bytes = Buffer.from(await stored.Body!.transformToByteArray());

    // Assess
    expect(bytes.equals(body)).toBe(true);
  });
});
