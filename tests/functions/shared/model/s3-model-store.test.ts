import { createServer } from 'node:net';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, InfrastructureError, ModelSchemaError, ValidationError } from '../../../../functions/shared/errors.js';
import { FEATURE_SCHEMA_VERSION, extractFeatureMatrix, featureNames } from '../../../../functions/shared/features/index.js';
import { MAX_MODEL_ARTIFACT_BYTES, sha256Hex, type TrainedModel } from '../../../../functions/shared/model/model-artifact.js';
import { S3ModelStore } from '../../../../functions/shared/model/s3-model-store.js';
import { trainModel } from '../../../../functions/shared/model/train-model.js';
import { startTestS3, type TestS3 } from '../../../helpers/s3.js';
import { anomalousRecords, normalRecords } from './log-fixtures.js';

const BUCKET = 'models';
const probe = [...normalRecords(40, 7, 'p'), ...anomalousRecords(10, 8)];
const probeMatrix = extractFeatureMatrix(probe);

let s3: TestS3;
/** A 100-tree model (the default forest) trained once for the whole file. */
let trained: TrainedModel;
let prefixCounter = 0;

/** A store under its own key prefix, so tests share the emulator without seeing each other's objects. */
function freshStore(): S3ModelStore {
  prefixCounter += 1;
  return new S3ModelStore(s3.client, BUCKET, `t${prefixCounter}/models/`);
}

/** `trained` under another version id (versions must be unique per store). */
function asVersion(version: string, overrides: Partial<TrainedModel> = {}): TrainedModel {
  return { ...trained, version, ...overrides };
}

async function getObject(key: string): Promise<Buffer> {
  const response = await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return Buffer.from(await response.Body!.transformToByteArray());
}

async function putObject(key: string, body: Uint8Array | string): Promise<void> {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: bytes, ContentLength: bytes.byteLength }));
}

beforeAll(async () => {
  s3 = await startTestS3([BUCKET]);
  trained = trainModel(normalRecords(1000), { contamination: 0.05, now: new Date('2026-11-24T03:15:00.000Z') });
});

afterAll(async () => {
  await s3?.stop();
});

describe('S3ModelStore publish and load', () => {
  it('writes model.json, then manifest.json, then the pointer; a cold store scores bit-identically', async () => {
    // Prepare
    const store = freshStore();
    const writesBefore = s3.writes.length;
    // Act
    const manifest = await store.publish(trained);
    const cold = new S3ModelStore(s3.newClient(), BUCKET, store.prefix);
    const loaded = await cold.loadLatest();
    // Assess
    expect(s3.writes.slice(writesBefore).map((write) => write.key)).toEqual([store.modelKey(trained.version), store.manifestKey(trained.version), store.pointerKey]);
    expect(await cold.readLatestPointer()).toBe(trained.version);
    expect(loaded?.manifest).toEqual(manifest);
    expect(manifest).toMatchObject({ version: trained.version, featureSchemaVersion: FEATURE_SCHEMA_VERSION, featureNames: [...featureNames], contamination: 0.05 });
    const storedArtifact = await getObject(store.modelKey(trained.version));
    expect(manifest.sha256).toBe(sha256Hex(storedArtifact));
    expect(manifest.artifactBytes).toBe(storedArtifact.byteLength);
    const before = trained.forest.score(probeMatrix, probe.length);
    const after = loaded!.forest.score(probeMatrix, probe.length);
    expect(Buffer.from(after.buffer, after.byteOffset, after.byteLength).equals(Buffer.from(before.buffer, before.byteOffset, before.byteLength))).toBe(true);
    expect(Array.from(loaded!.forest.explain(probeMatrix.subarray(0, featureNames.length)))).toEqual(Array.from(trained.forest.explain(probeMatrix.subarray(0, featureNames.length))));
  });

  it('keeps a 100-tree artifact under 1 MB', async () => {
    // Act
    const manifest = await freshStore().publish(trained);
    // Assess
    expect(manifest.forestOptions.trees).toBe(100);
    expect(manifest.artifactBytes).toBeLessThan(1_000_000);
  });

  it('has no latest model before the first publish', async () => {
    // Prepare
    const store = freshStore();
    // Act / Assess
    expect(await store.readLatestPointer()).toBeNull();
    expect(await store.loadLatest()).toBeNull();
  });

  it('never overwrites a version: publishing it again is refused and the objects stay as they were', async () => {
    // Prepare
    const store = freshStore();
    await store.publish(trained);
    const original = await getObject(store.manifestKey(trained.version));
    // Act
    const again = store.publish({ ...trained, threshold: 0.99 });
    // Assess
    await expect(again).rejects.toThrow(ValidationError);
    await expect(again).rejects.toThrow(/already exists; versions are immutable/);
    expect((await getObject(store.manifestKey(trained.version))).equals(original)).toBe(true);
  });

  it('never moves the pointer back to a version trained earlier, but still stores that version', async () => {
    // Prepare
    const store = freshStore();
    await store.publish(asVersion('20261124T031600Z-bbbbbb'));
    // Act
    await store.publish(asVersion('20261124T031500Z-aaaaaa'));
    // Assess
    expect(await store.readLatestPointer()).toBe('20261124T031600Z-bbbbbb');
    expect((await store.load('20261124T031500Z-aaaaaa')).manifest.version).toBe('20261124T031500Z-aaaaaa');
  });

  it('moves the pointer to a version trained in the same second (the later publish wins)', async () => {
    // Prepare
    const store = freshStore();
    await store.publish(asVersion('20261124T031600Z-ffffff'));
    // Act
    await store.publish(asVersion('20261124T031600Z-000000'));
    // Assess
    expect(await store.readLatestPointer()).toBe('20261124T031600Z-000000');
  });
});

describe('S3ModelStore refuses unusable models', () => {
  it('throws ModelSchemaError for a model trained with another feature schema', async () => {
    // Prepare
    const store = freshStore();
    await store.publish({ ...trained, featureSchemaVersion: 'fs0-7-deadbeef' });
    // Act
    const load = store.loadLatest();
    // Assess
    await expect(load).rejects.toThrow(ModelSchemaError);
    await expect(load).rejects.toThrow(new RegExp(`model ${trained.version} was trained with feature schema fs0-7-deadbeef .*this code extracts ${FEATURE_SCHEMA_VERSION} .*; retrain`));
  });

  it('throws ModelSchemaError for renamed features even under the same schema version', async () => {
    // Prepare
    const store = freshStore();
    await store.publish({ ...trained, featureNames: featureNames.map((name, i) => (i === 0 ? 'service_id' : name)) });
    // Act / Assess
    await expect(store.load(trained.version)).rejects.toThrow(ModelSchemaError);
  });

  it('checks against the feature schema it was given', async () => {
    // Prepare
    const store = freshStore();
    await store.publish(trained);
    const newerCode = new S3ModelStore(s3.client, BUCKET, store.prefix, { featureSchema: { version: 'fs2-8-00000000', names: [...featureNames, 'latency'] } });
    // Act / Assess
    await expect(newerCode.loadLatest()).rejects.toThrow(/this code extracts fs2-8-00000000/);
  });

  it('throws ValidationError when model.json was edited after publishing (checksum)', async () => {
    // Prepare: flip one digit in the middle of the stored forest; same size.
    const store = freshStore();
    await store.publish(trained);
    const key = store.modelKey(trained.version);
    const bytes = await getObject(key);
    let at = Math.floor(bytes.length / 2);
    while (bytes[at]! < 0x30 || bytes[at]! > 0x38) at++;
    bytes[at] = bytes[at]! + 1;
    await putObject(key, bytes);
    // Act / Assess
    await expect(store.loadLatest()).rejects.toThrow(ValidationError);
    await expect(store.loadLatest()).rejects.toThrow(/has sha256 [0-9a-f]{64}, its manifest says/);
  });

  it('throws ValidationError for a truncated model.json', async () => {
    // Prepare
    const store = freshStore();
    await store.publish(trained);
    const key = store.modelKey(trained.version);
    const bytes = await getObject(key);
    await putObject(key, bytes.subarray(0, bytes.length >> 1));
    // Act / Assess
    await expect(store.loadLatest()).rejects.toThrow(/is \d+ bytes, its manifest says \d+ \(truncated or replaced\)/);
  });

  it('throws ValidationError for a model.json over the size cap without keeping it', async () => {
    // Prepare
    const store = freshStore();
    await store.publish(trained);
    await putObject(store.modelKey(trained.version), Buffer.alloc(MAX_MODEL_ARTIFACT_BYTES + 1, 0x20));
    // Act / Assess
    await expect(store.loadLatest()).rejects.toThrow(/over the 8388608-byte cap/);
  });

  it.each([
    ['not JSON', 'this is not json', /manifest of model .* is not valid JSON/],
    ['empty', '', /manifest of model .* is empty/],
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), /not valid UTF-8/],
    ['missing fields', '{"version":"20261124T031500Z-aaaaaa"}', /manifest of model .* is invalid/],
    ['a hostile value', '{"__proto__":{"polluted":true},"version":"../../etc"}', /is invalid/],
  ])('throws ValidationError for a manifest that is %s', async (_what, body, message) => {
    // Prepare
    const store = freshStore();
    await store.publish(trained);
    await putObject(store.manifestKey(trained.version), body);
    // Act / Assess
    await expect(store.load(trained.version)).rejects.toThrow(ValidationError);
    await expect(store.load(trained.version)).rejects.toThrow(message);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('throws ValidationError for a manifest stored under another version', async () => {
    // Prepare
    const store = freshStore();
    await store.publish(asVersion('20261124T031500Z-aaaaaa'));
    await putObject(store.manifestKey('20261124T031600Z-bbbbbb'), await getObject(store.manifestKey('20261124T031500Z-aaaaaa')));
    // Act / Assess
    await expect(store.load('20261124T031600Z-bbbbbb')).rejects.toThrow(/names version 20261124T031500Z-aaaaaa/);
  });

  it('throws ValidationError for a garbage pointer, a dangling pointer and a hostile version id', async () => {
    // Prepare
    const store = freshStore();
    // Act / Assess
    await putObject(store.pointerKey, '{"version": 42}');
    await expect(store.readLatestPointer()).rejects.toThrow(/latest model pointer is invalid/);
    await putObject(store.pointerKey, '{"version":"20261124T031500Z-abcdef"}');
    await expect(store.loadLatest()).rejects.toThrow(/model 20261124T031500Z-abcdef has no manifest at s3:\/\/models\//);
    await expect(store.load('../../secrets')).rejects.toThrow(/model version is invalid/);
  });

  it('replaces an unreadable pointer on the next publish', async () => {
    // Prepare
    const store = freshStore();
    await putObject(store.pointerKey, 'garbage');
    // Act
    await store.publish(trained);
    // Assess
    expect(await store.readLatestPointer()).toBe(trained.version);
  });
});

describe('S3ModelStore infrastructure failures', () => {
  it('throws InfrastructureError (with the S3 error as cause) when the bucket is missing', async () => {
    // Prepare
    const store = new S3ModelStore(s3.client, 'no-such-bucket');
    // Act / Assess
    await expect(store.readLatestPointer()).rejects.toThrow(InfrastructureError);
    await expect(store.loadLatest()).rejects.toThrow(/S3 GetObject s3:\/\/no-such-bucket\/models\/latest failed: NoSuchBucket/);
    const publish = store.publish(trained);
    await expect(publish).rejects.toThrow(InfrastructureError);
    await expect(publish.catch((error: Error) => (error.cause as Error).name)).resolves.toBe('NoSuchBucket');
  });

  it('throws InfrastructureError when S3 cannot be reached', async () => {
    // Prepare: a loopback port nobody listens on.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = server.address() as { port: number };
        server.close(() => resolve(free));
      });
    });
    const store = new S3ModelStore(s3.newClient(`http://127.0.0.1:${port}`), BUCKET);
    // Act / Assess
    await expect(store.loadLatest()).rejects.toThrow(InfrastructureError);
    await expect(store.loadLatest()).rejects.toThrow(/ECONNREFUSED|connect/);
  });

  it('refuses an empty bucket name and a malformed prefix with ConfigError', () => {
    expect(() => new S3ModelStore(s3.client, '')).toThrow(ConfigError);
    expect(() => new S3ModelStore(s3.client, BUCKET, 'models')).toThrow(/must be empty or end with "\/"/);
    expect(() => new S3ModelStore(s3.client, BUCKET, '/models/')).toThrow(ConfigError);
  });
});
