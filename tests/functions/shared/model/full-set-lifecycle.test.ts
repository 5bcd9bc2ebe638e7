import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../functions/shared/errors.js';
import { fullFeatureSet } from '../../../../functions/shared/features/index.js';
import { detectionDefaults, loadDetectionConfig } from '../../../../functions/shared/model/detection-config.js';
import { featureSchemaOf } from '../../../../functions/shared/model/model-artifact.js';
import { ModelManager } from '../../../../functions/shared/model/model-manager.js';
import { S3ModelStore } from '../../../../functions/shared/model/s3-model-store.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { startTestS3, type TestS3 } from '../../../helpers/s3.js';
import { normalRecords } from './log-fixtures.js';
import { InMemoryTrainerLock, InMemoryTrainingSource } from './training-doubles.js';

const BUCKET = 'models';
let s3: TestS3;

beforeAll(async () => {
  s3 = await startTestS3([BUCKET]);
});
afterAll(async () => {
  await s3?.stop();
});

describe('loadDetectionConfig', () => {
  it('defaults to the full set with the anchor rule and reads FEATURE_SET / THRESHOLD_RULE', () => {
    expect(loadDetectionConfig({})).toEqual(detectionDefaults);
    expect(detectionDefaults).toEqual({ featureSet: 'full', thresholdRule: 'anchor' });
    expect(loadDetectionConfig({ FEATURE_SET: 'seed', THRESHOLD_RULE: 'contamination' })).toEqual({ featureSet: 'seed', thresholdRule: 'contamination' });
  });

  it('names a bad value', () => {
    expect(() => loadDetectionConfig({ FEATURE_SET: 'all' })).toThrow(ConfigError);
    expect(() => loadDetectionConfig({ FEATURE_SET: 'all' })).toThrow(/FEATURE_SET/);
    expect(() => loadDetectionConfig({ THRESHOLD_RULE: '0.1' })).toThrow(/THRESHOLD_RULE/);
  });
});

describe('ModelManager with the full feature set', () => {
  it('trains with the state in S3; a cold container picks up where the model left off, and windows span invocations', async () => {
    // Prepare
    const source = new InMemoryTrainingSource();
    const lock = new InMemoryTrainerLock();
    const clock = new FakeClock(Date.parse('2026-11-24T11:00:00.000Z'));
    const container = () =>
      new ModelManager({
        store: new S3ModelStore(s3.newClient(), BUCKET, 'full-life/models/', { featureSchema: featureSchemaOf(fullFeatureSet) }),
        source,
        lock,
        clock,
        policy: { trainingWindow: 1000, forest: { trees: 30 }, featureSet: 'full', thresholdRule: 'anchor' },
      });
    const warm = container();
    for (let batch = 0; batch < 10; batch++) {
      const records = normalRecords(100, 300 + batch, `f${batch}`);
      await warm.scoreRecords(records);
      source.add(records);
      await warm.maybeTrain(records.length);
    }
    const errors = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => ({ id: `e-${from + i}`, ts: '2026-11-24T12:00:00.000Z', service: 'api', level: 'ERROR' as const, message: 'upstream timeout on /v1/orders', host: 'web-1' }));

    // Act: a run of errors split over two invocations of the warm container; a cold one loads from S3
    const first = await warm.scoreRecords(errors(0, 3));
    const second = await warm.scoreRecords(errors(3, 5));
    const cold = container();
    const coldScores = await cold.scoreRecords(normalRecords(5, 999, 'c'));

    // Assess
    const version = warm.current()?.manifest.version;
    expect(warm.current()?.manifest).toMatchObject({ featureSet: 'full', thresholdRule: 'anchor' });
    expect(cold.current()?.manifest.version).toBe(version);
    expect(coldScores).toHaveLength(5);
    expect(s3.writes.map((write) => write.key)).toContain(`full-life/models/${version}/feature-state.json`);
    const burst = (score: { features: Record<string, number> } | undefined) => score?.features.template_burst ?? 0;
    expect(second?.[4]?.isAnomaly).toBe(true);
    // Both end their invocation; the later one also sees the three errors of the earlier invocation behind it
    expect(burst(second?.[4])).toBeGreaterThan(burst(first?.[2]));
    expect(Object.keys(second?.[4]?.contributions ?? {}).some((name) => name === 'template_burst' || name === 'alert_surprise')).toBe(true);
    expect(first?.every((score) => score.templateId !== null)).toBe(true);
  });
});
