import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { ModelSchemaError, ValidationError } from '../../../../functions/shared/errors.js';
import { fullFeatureSet } from '../../../../functions/shared/features/index.js';
import type { LogRecord } from '../../../../functions/shared/log/index.js';
import { encodeModelArtifact, featureSchemaOf } from '../../../../functions/shared/model/model-artifact.js';
import { scoreWithModel } from '../../../../functions/shared/model/record-scoring.js';
import { S3ModelStore } from '../../../../functions/shared/model/s3-model-store.js';
import { trainModel } from '../../../../functions/shared/model/train-model.js';
import { startTestS3, type TestS3 } from '../../../helpers/s3.js';
import { normalRecords } from './log-fixtures.js';

const BUCKET = 'models';
const NOW = new Date('2026-11-24T03:15:00.000Z');
let s3: TestS3;

beforeAll(async () => {
  s3 = await startTestS3([BUCKET]);
});
afterAll(async () => {
  await s3?.stop();
});

/** Records unlike the fixtures' traffic in one respect each. */
function unusual(): LogRecord[] {
  return [
    { id: 'u-1', ts: '2026-11-24T03:10:00.000Z', service: 'api', level: 'INFO', message: 'handled GET /v1/orders status=200 in 12ms', host: 'api-1' },
    { id: 'u-2', ts: '2026-11-24T10:10:00.000Z', service: 'shadow-admin', level: 'INFO', message: 'listener opened for remote shell', host: 'x-1' },
  ];
}

describe('models of the full feature set', () => {
  it('store the feature state next to the forest; a cold load scores and explains like the trainer', async () => {
    // Prepare
    const model = trainModel(normalRecords(4000, 2), { contamination: 0.05, now: NOW, featureSet: fullFeatureSet, thresholdRule: 'anchor', forest: { trees: 50 } });
    const store = new S3ModelStore(s3.client, BUCKET, 'full/models/', { featureSchema: featureSchemaOf(fullFeatureSet) });
    const probe = [...normalRecords(20, 9, 'p'), ...unusual()];

    // Act
    const manifest = await store.publish(model);
    const cold = await new S3ModelStore(s3.newClient(), BUCKET, 'full/models/', { featureSchema: featureSchemaOf(fullFeatureSet) }).load(manifest.version);
    const fromCold = scoreWithModel(cold, probe, 3);
    const fromTrainer = scoreWithModel({ manifest, forest: model.forest, features: model.features }, probe, 3);

    // Assess
    expect(manifest).toMatchObject({ featureSet: 'full', thresholdRule: 'anchor', featureSchemaVersion: fullFeatureSet.schemaVersion });
    expect(manifest.featureState?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(s3.writes.map((write) => write.key)).toEqual(expect.arrayContaining([`full/models/${manifest.version}/feature-state.json`]));
    expect(fromCold).toEqual(fromTrainer);
    // Explanations: the off-hours record is flagged for its hour, the unknown service for its rarity
    const [offHours, stranger] = fromCold.scores.slice(-2);
    expect(offHours?.isAnomaly).toBe(true);
    expect(Object.keys(offHours?.contributions ?? {})[0]).toBe('hour_rarity');
    expect(stranger?.isAnomaly).toBe(true);
    expect(Object.keys(stranger?.contributions ?? {})).toContain('service_rarity');
    expect(stranger?.features.service_rarity).toBeGreaterThan(0);
    expect(stranger?.templateId).toBeGreaterThan(0);
  });

  it('refuses a replaced feature state and a full model in a seed store', async () => {
    // Prepare
    const model = trainModel(normalRecords(300, 3), { contamination: 0.05, now: new Date('2026-11-24T04:00:00.000Z'), featureSet: fullFeatureSet, forest: { trees: 10 } });
    const store = new S3ModelStore(s3.client, BUCKET, 'tamper/models/', { featureSchema: featureSchemaOf(fullFeatureSet) });
    const manifest = await store.publish(model);
    const { featureState } = encodeModelArtifact(model);

    // Act
    await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: store.featureStateKey(manifest.version), Body: Buffer.from(JSON.stringify({ version: 1 }).padEnd(featureState!.byteLength)) }));
    const tampered = await store.load(manifest.version).catch((error: unknown) => error);
    const inSeedStore = await new S3ModelStore(s3.client, BUCKET, 'tamper/models/').load(manifest.version).catch((error: unknown) => error);

    // Assess
    expect(tampered).toBeInstanceOf(ValidationError);
    expect((tampered as Error).message).toMatch(/feature-state.json of model .* has sha256/);
    expect(inSeedStore).toBeInstanceOf(ModelSchemaError);
  });
});
