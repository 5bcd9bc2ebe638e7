import { describe, expect, it } from 'vitest';
import { ModelSchemaError, ValidationError } from '../../../../functions/shared/errors.js';
import { FEATURE_SCHEMA_VERSION, extractFeatureMatrix, featureNames } from '../../../../functions/shared/features/index.js';
import {
  MAX_MANIFEST_BYTES,
  assertFeatureSchema,
  decodeModelArtifact,
  encodeJson,
  encodeModelArtifact,
  newModelVersion,
  parseManifest,
  parsePointer,
} from '../../../../functions/shared/model/model-artifact.js';
import { MIN_TRAINING_ROWS, trainModel } from '../../../../functions/shared/model/train-model.js';
import { anomalousRecords, normalRecords } from './log-fixtures.js';

const NOW = new Date('2026-11-24T03:15:00.000Z');
const small = () => trainModel(normalRecords(300), { contamination: 0.1, forest: { trees: 10 }, now: NOW });

describe('model versions', () => {
  it('are UTC second timestamps with a hex suffix that sort by training time', () => {
    // Act
    const first = newModelVersion(new Date('2026-11-24T03:15:00.999Z'), 'ffffff');
    const second = newModelVersion(new Date('2026-11-24T03:15:01.000Z'), '000000');
    const random = newModelVersion(NOW);
    // Assess
    expect(first).toBe('20261124T031500Z-ffffff');
    expect(second > first).toBe(true);
    expect(random).toMatch(/^20261124T031500Z-[0-9a-f]{6}$/);
  });

  it('refuses an invalid date or suffix', () => {
    expect(() => newModelVersion(new Date(Number.NaN))).toThrow(ValidationError);
    expect(() => newModelVersion(NOW, 'XYZ/..')).toThrow(ValidationError);
  });
});

describe('trainModel', () => {
  it('sets the threshold so that the contamination share of training rows scores above it', () => {
    // Prepare
    const records = [...normalRecords(950), ...anomalousRecords(50)];
    // Act
    const model = trainModel(records, { contamination: 0.05, forest: { trees: 50 }, now: NOW });
    const times = records.map((record) => Date.parse(record.ts));
    // Assess
    expect(model).toMatchObject({
      featureSchemaVersion: FEATURE_SCHEMA_VERSION,
      featureNames: [...featureNames],
      forestOptions: { trees: 50, sampleSize: 256 },
      contamination: 0.05,
      trainedAt: NOW.toISOString(),
      trainingWindow: { rows: 1000, fromTs: new Date(Math.min(...times)).toISOString(), toTs: new Date(Math.max(...times)).toISOString() },
    });
    expect(model.version.startsWith('20261124T031500Z-')).toBe(true);
    expect(model.scoreStats.count).toBe(1000);
    expect(model.scoreStats.p90).toBeLessThan(model.threshold);
    expect(model.threshold).toBeLessThanOrEqual(model.scoreStats.max);
    const trainingScores = model.forest.score(extractFeatureMatrix(records), records.length);
    const flagged = Array.from(trainingScores).filter((score) => score > model.threshold).length;
    expect(flagged).toBeLessThanOrEqual(50);
    expect(flagged).toBeGreaterThanOrEqual(45);
    const sorted = Array.from(trainingScores).sort((a, b) => a - b);
    const rank = 0.95 * 999;
    const below = sorted[Math.floor(rank)]!;
    expect(model.threshold).toBeCloseTo(below + (sorted[Math.ceil(rank)]! - below) * (rank - Math.floor(rank)), 15);
    expect(model.scoreStats).toMatchObject({ min: sorted[0], max: sorted[999] });
  });

  it.each([0, -0.1, 0.51, Number.NaN])('refuses contamination %s', (contamination) => {
    expect(() => trainModel(normalRecords(10), { contamination, now: NOW })).toThrow(/contamination must be in \(0, 0\.5\]/);
  });

  it(`refuses fewer than ${MIN_TRAINING_ROWS} records`, () => {
    expect(() => trainModel(normalRecords(1), { contamination: 0.1, now: NOW })).toThrow(ValidationError);
    expect(() => trainModel([], { contamination: 0.1, now: NOW })).toThrow(/at least 2 records, got 0/);
  });
});

describe('artifact encoding', () => {
  it('seals the manifest with the artifact size and checksum and decodes back to the same forest', () => {
    // Prepare
    const model = small();
    // Act
    const { artifact, manifest } = encodeModelArtifact(model);
    const forest = decodeModelArtifact(manifest, artifact);
    // Assess
    expect(manifest.artifactBytes).toBe(artifact.byteLength);
    expect(manifest.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(forest.toJSON())).toBe(JSON.stringify(model.forest.toJSON()));
    expect(parseManifest(encodeJson(manifest), model.version)).toEqual(manifest);
  });

  it('refuses an artifact whose forest disagrees with its manifest', () => {
    // Prepare: a manifest claiming other forest options, sealed over the real artifact.
    const model = small();
    const { artifact, manifest } = encodeModelArtifact({ ...model, forestOptions: { ...model.forestOptions, trees: 11 } });
    // Act / Assess
    expect(() => decodeModelArtifact(manifest, artifact)).toThrow(/its manifest says \{"trees":11/);
  });

  it('refuses an oversize manifest and a pointer that is not a version', () => {
    expect(() => parseManifest(Buffer.alloc(MAX_MANIFEST_BYTES + 1, 0x20))).toThrow(/over the 65536-byte cap/);
    expect(() => parsePointer(Buffer.from('{"version":"latest"}'))).toThrow(ValidationError);
    expect(() => parsePointer(Buffer.from('[]'))).toThrow(/latest model pointer is invalid/);
    expect(parsePointer(Buffer.from('{"version":"20261124T031500Z-abcdef"}'))).toBe('20261124T031500Z-abcdef');
  });

  it('explains a feature schema mismatch and says to retrain', () => {
    // Prepare
    const model = small();
    // Act / Assess
    expect(() => assertFeatureSchema(model)).not.toThrow();
    expect(() => assertFeatureSchema(model, { version: 'fs9-1-00000000', names: ['level'] })).toThrow(ModelSchemaError);
    expect(() => assertFeatureSchema(model, { version: 'fs9-1-00000000', names: ['level'] })).toThrow(
      `model ${model.version} was trained with feature schema ${FEATURE_SCHEMA_VERSION} [${featureNames.join(', ')}], this code extracts fs9-1-00000000 [level]; retrain`,
    );
  });
});
