import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fullFeatureSet } from '../../../../functions/shared/features/index.js';
import { featureSchemaOf } from '../../../../functions/shared/model/model-artifact.js';
import { ModelManager } from '../../../../functions/shared/model/model-manager.js';
import { S3ModelStore } from '../../../../functions/shared/model/s3-model-store.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { startTestS3, type TestS3 } from '../../../helpers/s3.js';
import { anomalousRecords, normalRecords } from './log-fixtures.js';
import { InMemoryTrainerLock, InMemoryTrainingSource, MemoryModelLogger } from './training-doubles.js';

const BUCKET = 'stream-models';
let s3: TestS3;
let worlds = 0;

beforeAll(async () => {
  s3 = await startTestS3();
  await s3.client.send(new CreateBucketCommand({ Bucket: BUCKET }));
});
afterAll(async () => {
  await s3?.stop();
});

/** A deployment with a trained full-set model, and a way to make containers (their own S3 clients). */
async function trainedWorld(logger?: MemoryModelLogger) {
  worlds += 1;
  const prefix = `streams${worlds}/models/`;
  const source = new InMemoryTrainingSource();
  const lock = new InMemoryTrainerLock();
  const clock = new FakeClock(Date.parse('2026-11-24T11:00:00.000Z'));
  const container = () =>
    new ModelManager({ store: new S3ModelStore(s3.newClient(), BUCKET, prefix, { featureSchema: featureSchemaOf(fullFeatureSet) }), source, lock, clock, policy: { forest: { trees: 30 }, featureSet: 'full', thresholdRule: 'anchor', trainingWindow: 400, firstTrainingWindow: 400 }, ...(logger ? { logger } : {}) });
  source.add(normalRecords(400, 5, 'train'));
  const trainer = container();
  const outcome = await trainer.maybeTrain(400);
  if (outcome.action !== 'trained') throw new Error(`expected a model, got ${outcome.action}`);
  return { container, version: outcome.manifest.version, source };
}

describe('ModelManager.scoreStream', () => {
  it('scores a stream batch by batch identically in one container and, from the stored snapshots, in several', async () => {
    // Prepare
    const { container } = await trainedWorld();
    const batches = [normalRecords(60, 21, 'b1'), [...normalRecords(40, 22, 'b2'), ...anomalousRecords(5, 23, 'b2a')], normalRecords(50, 24, 'b3')];
    const one = container();
    const many = [container(), container(), container()];

    // Act
    const alone: number[] = [];
    let snapshot = null;
    for (const batch of batches) {
      const result = await one.scoreStream(batch, snapshot, 0);
      if (result === null) throw new Error('no model');
      alone.push(...result.scores.map((score) => score.score));
      snapshot = result.next;
    }
    const spread: number[] = [];
    let stored = null;
    for (const [i, batch] of batches.entries()) {
      const result = await many[i % many.length]!.scoreStream(batch, stored === null ? null : JSON.parse(JSON.stringify(stored)), 0);
      if (result === null) throw new Error('no model');
      spread.push(...result.scores.map((score) => score.score));
      stored = result.next;
    }

    // Assess
    expect(spread).toEqual(alone);
    expect(stored).toEqual(snapshot);
    expect(alone.length).toBe(155);
  });

  it('starts a stream afresh from a snapshot of another model version or one that does not decode, and says so', async () => {
    // Prepare
    const logger = new MemoryModelLogger();
    const { container, version } = await trainedWorld(logger);
    const manager = container();
    const batch = normalRecords(30, 31, 'fresh');
    const fresh = await manager.scoreStream(batch, null, 0);

    // Act
    const otherVersion = await manager.scoreStream(batch, { modelVersion: '20200101T000000Z-abcdef', state: { anything: true } }, 0);
    const garbage = await manager.scoreStream(batch, { modelVersion: version, state: { version: 99 } }, 0);

    // Assess
    expect(otherVersion?.scores.map((s) => s.score)).toEqual(fresh?.scores.map((s) => s.score));
    expect(garbage?.scores.map((s) => s.score)).toEqual(fresh?.scores.map((s) => s.score));
    expect(garbage?.next.modelVersion).toBe(version);
    expect(logger.entries.some((entry) => entry.level === 'warn' && /stream state unreadable/.test(entry.message))).toBe(true);
  });

  it('leaves the snapshot it was given unchanged, and learns nothing from a redelivered prefix', async () => {
    // Prepare
    const { container } = await trainedWorld();
    const manager = container();
    const first = await manager.scoreStream(normalRecords(40, 41, 'p'), null, 0);
    if (first === null) throw new Error('no model');
    const before = JSON.stringify(first.next);
    const again = normalRecords(40, 41, 'p');

    // Act: the same 40 records, all already learned
    const redelivered = await manager.scoreStream(again, JSON.parse(before), 40);

    // Assess
    expect(JSON.stringify(first.next)).toBe(before);
    expect(redelivered?.next).toEqual(JSON.parse(before));
  });

  it('answers null before there is a model', async () => {
    // Prepare
    worlds += 1;
    const manager = new ModelManager({ store: new S3ModelStore(s3.newClient(), BUCKET, `empty${worlds}/models/`), source: new InMemoryTrainingSource(), lock: new InMemoryTrainerLock(), clock: new FakeClock(0) });

    // Act / Assess
    expect(await manager.scoreStream(normalRecords(5, 1, 'x'), null, 0)).toBeNull();
  });
});
