import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InfrastructureError, ValidationError } from '../../../../functions/shared/errors.js';
import { featureNames } from '../../../../functions/shared/features/index.js';
import type { LogRecord } from '../../../../functions/shared/log/index.js';
import { ModelManager, type TrainOutcome } from '../../../../functions/shared/model/model-manager.js';
import type { ModelPolicyOverrides } from '../../../../functions/shared/model/model-policy.js';
import { S3ModelStore } from '../../../../functions/shared/model/s3-model-store.js';
import { trainModel } from '../../../../functions/shared/model/train-model.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { startTestS3, type TestS3 } from '../../../helpers/s3.js';
import { anomalousRecords, normalRecords } from './log-fixtures.js';
import { InMemoryTrainerLock, InMemoryTrainingSource, MemoryModelLogger } from './training-doubles.js';

const BUCKET = 'models';
const START = Date.parse('2026-11-24T11:00:00.000Z');
/** A smaller forest than production's 100 trees keeps these lifecycle tests light. */
const LIGHT: ModelPolicyOverrides = { forest: { trees: 30 } };
const probe: LogRecord[] = [...normalRecords(30, 77, 'probe'), ...anomalousRecords(5, 78, 'probe-a')];

let s3: TestS3;
let worldCounter = 0;

/** One deployment: a key prefix of its own, shared source/lock (PostgreSQL's role) and clock. */
function newWorld() {
  worldCounter += 1;
  const prefix = `w${worldCounter}/models/`;
  const source = new InMemoryTrainingSource();
  const lock = new InMemoryTrainerLock();
  const clock = new FakeClock(START);
  /** A warm container: its own S3 client, store and manager. */
  const container = (policy: ModelPolicyOverrides = {}, logger?: MemoryModelLogger) =>
    new ModelManager({ store: new S3ModelStore(s3.newClient(), BUCKET, prefix), source, lock, clock, policy: { ...LIGHT, ...policy }, ...(logger ? { logger } : {}) });
  const manifestsStored = () => s3.writes.filter((write) => write.key.startsWith(prefix) && write.key.endsWith('/manifest.json')).length;
  return { prefix, source, lock, clock, container, store: new S3ModelStore(s3.client, BUCKET, prefix), manifestsStored };
}

function trainedVersion(outcome: TrainOutcome): string {
  if (outcome.action !== 'trained') throw new Error(`expected a training, got ${JSON.stringify(outcome)}`);
  return outcome.manifest.version;
}

beforeAll(async () => {
  s3 = await startTestS3([BUCKET]);
});

afterAll(async () => {
  await s3?.stop();
});

describe('ModelManager: first model', () => {
  it('with firstTrainingWindow = trainingWindow, scores nothing until 1,000 records are stored, then trains a full model and publishes it to S3', async () => {
    // Prepare
    const { source, clock, container, store, prefix } = newWorld();
    const manager = container({ firstTrainingWindow: 1000 });
    const outcomes: TrainOutcome[] = [];
    // Act: ten batches of 100 records, stored unflagged while there is no model.
    for (let batch = 0; batch < 10; batch++) {
      const records = normalRecords(100, 100 + batch, `b${batch}`);
      expect(await manager.scoreRecords(records)).toBeNull();
      source.add(records);
      outcomes.push(await manager.maybeTrain(records.length));
      clock.advance(1_000);
    }
    const scores = await manager.scoreRecords(probe);
    // Assess
    expect(outcomes[0]).toEqual({ action: 'skipped', reason: 'initial', available: 100, needed: 1000 });
    expect(outcomes.slice(0, 9).every((outcome) => outcome.action === 'skipped')).toBe(true);
    const version = trainedVersion(outcomes[9]!);
    expect(manager.current()?.manifest.version).toBe(version);
    expect(await store.readLatestPointer()).toBe(version);
    const inS3 = await new S3ModelStore(s3.newClient(), BUCKET, prefix).loadLatest();
    expect(inS3?.manifest.trainingWindow.rows).toBe(1000);
    expect(scores).toHaveLength(probe.length);
    expect(scores!.every((score) => score.modelVersion === version && score.threshold === inS3!.manifest.threshold)).toBe(true);
    const anomalies = scores!.slice(30);
    expect(anomalies.every((score) => score.isAnomaly)).toBe(true);
    for (const { contributions } of anomalies) {
      const names = Object.keys(contributions);
      expect(names.length).toBeGreaterThan(0);
      expect(names.length).toBeLessThanOrEqual(3);
      expect(names.every((name) => featureNames.includes(name))).toBe(true);
    }
    expect(scores!.filter((score) => !score.isAnomaly).every((score) => Object.keys(score.contributions).length === 0)).toBe(true);
  });

  it('on a cold start, a fresh manager loads the same version and scores the same records identically', async () => {
    // Prepare
    const { source, container } = newWorld();
    source.add(normalRecords(1000));
    const warm = container();
    await warm.maybeTrain(1000);
    const warmScores = await warm.scoreRecords(probe);
    // Act
    const cold = container();
    const coldScores = await cold.scoreRecords(probe);
    // Assess
    expect(cold.current()?.manifest).toEqual(warm.current()?.manifest);
    expect(coldScores).toEqual(warmScores);
    expect(coldScores!.map((score) => score.score)).toEqual(warmScores!.map((score) => score.score));
  });

  it('while short of records, asks for the count (bounded by firstTrainingWindow) again only every 20 new records', async () => {
    // Prepare
    const { source, container } = newWorld();
    source.add(normalRecords(160));
    const manager = container();
    const actions: string[] = [];
    // Act: batches of 5 records.
    for (let call = 0; call < 9; call++) {
      source.add(normalRecords(5, 500 + call, `c${call}`));
      actions.push((await manager.maybeTrain(5)).action);
    }
    // Assess: attempts at 165, 185 (skipped) and 205 stored records (trained).
    expect(actions).toEqual(['skipped', 'none', 'none', 'none', 'skipped', 'none', 'none', 'none', 'trained']);
    expect(source.countCalls).toBe(3);
    expect(source.countLimits).toEqual([200, 200, 200]);
    expect(manager.current()?.manifest.trainingWindow.rows).toBe(205);
  });

  it('refuses a record count that is not a non-negative integer', async () => {
    const manager = newWorld().container();
    await expect(manager.maybeTrain(-1)).rejects.toThrow(ValidationError);
    await expect(manager.maybeTrain(1.5)).rejects.toThrow(/record count >= 0/);
  });
});

describe('ModelManager: one trainer at a time', () => {
  it('when two containers race, one trains under the lock and the other picks its model up at recheck', async () => {
    // Prepare
    const { source, lock, clock, container, manifestsStored } = newWorld();
    source.add(normalRecords(1000));
    const [a, b] = [container(), container()];
    source.gateNextCounts(2);
    // Act
    const outcomes = await Promise.all([a.maybeTrain(1000), b.maybeTrain(1000)]);
    // Assess
    expect(outcomes.map((outcome) => outcome.action).sort()).toEqual(['locked', 'trained']);
    const [winner, loser] = outcomes[0]!.action === 'trained' ? [a, b] : [b, a];
    const version = trainedVersion(outcomes[0]!.action === 'trained' ? outcomes[0]! : outcomes[1]!);
    expect(lock.acquisitions).toBe(1);
    expect(manifestsStored()).toBe(1);
    expect(loser.current()).toBeNull();
    clock.advance(29_999);
    expect(await loser.scoreRecords(probe)).toBeNull();
    clock.advance(1);
    const loserScores = await loser.scoreRecords(probe);
    expect(loser.current()?.manifest.version).toBe(version);
    expect(loserScores).toEqual(await winner.scoreRecords(probe));
  });

  it('a trainer that wins the lock after another published adopts that model instead of training', async () => {
    // Prepare
    const { source, lock, container, manifestsStored } = newWorld();
    source.add(normalRecords(1000));
    const [a, b] = [container(), container()];
    await b.refresh();
    const version = trainedVersion(await a.maybeTrain(1000));
    // Act: b's cached pointer (read before a published) is still within its recheck interval.
    const outcome = await b.maybeTrain(1000);
    // Assess
    expect(outcome).toEqual({ action: 'superseded', reason: 'initial', version });
    expect(b.current()?.manifest.version).toBe(version);
    expect(lock.acquisitions).toBe(2);
    expect(manifestsStored()).toBe(1);
  });
});

describe('ModelManager: retraining', () => {
  it('retrains after retrainEvery scored records; readers keep their version until their recheck', async () => {
    // Prepare
    const { source, clock, container, prefix } = newWorld();
    source.add(normalRecords(1000));
    const trainer = container({ retrainEvery: 250, retrainMinSeconds: 0 });
    const reader = container();
    const v1 = trainedVersion(await trainer.maybeTrain(1000));
    const readerBefore = await reader.scoreRecords(probe);
    clock.advance(1_000);
    const actions: TrainOutcome[] = [];
    // Act: the trainer scores and stores 3 × 100 records.
    for (let batch = 0; batch < 3; batch++) {
      const records = normalRecords(100, 300 + batch, `r${batch}`);
      await trainer.scoreRecords(records);
      source.add(records);
      actions.push(await trainer.maybeTrain(records.length));
    }
    // Assess
    expect(actions.slice(0, 2).map((outcome) => outcome.action)).toEqual(['none', 'none']);
    expect(actions[2]).toMatchObject({ action: 'trained', reason: 'scheduled', detail: expect.stringContaining(`300 records scored by ${v1}`) });
    const v2 = trainedVersion(actions[2]!);
    expect(v2 > v1).toBe(true);
    const v2Writes = s3.writes.filter((write) => write.key.startsWith(prefix)).slice(-3).map((write) => write.key);
    expect(v2Writes).toEqual([`${prefix}${v2}/model.json`, `${prefix}${v2}/manifest.json`, `${prefix}latest`]);
    clock.advance(28_000);
    expect(await reader.scoreRecords(probe)).toEqual(readerBefore);
    clock.advance(1_000);
    const readerAfter = await reader.scoreRecords(probe);
    expect(readerAfter!.every((score) => score.modelVersion === v2)).toBe(true);
  });

  it('retrains when the recent scores shift away from the training distribution', async () => {
    // Prepare
    const { source, clock, container } = newWorld();
    source.add(normalRecords(1000));
    const manager = container({ retrainEvery: 0, retrainMinSeconds: 0, shift: { window: 100 } });
    const v1 = trainedVersion(await manager.maybeTrain(1000));
    const normal = normalRecords(100, 400, 's-normal');
    await manager.scoreRecords(normal);
    source.add(normal);
    const calm = await manager.maybeTrain(normal.length);
    clock.advance(1_000);
    // Act
    const odd = anomalousRecords(100, 401, 's-odd');
    await manager.scoreRecords(odd);
    source.add(odd);
    const shifted = await manager.maybeTrain(odd.length);
    // Assess
    expect(calm).toEqual({ action: 'none' });
    expect(shifted).toMatchObject({ action: 'trained', reason: 'shift', detail: expect.stringMatching(/flagged share 1\.000 over the last 100 scores/) });
    expect(trainedVersion(shifted)).not.toBe(v1);
    expect(manager.current()?.manifest.version).toBe(trainedVersion(shifted));
  });
});

describe('ModelManager: unusable models and outages', () => {
  it('never scores with a version of another feature schema: keeps its model, or trains a replacement', async () => {
    // Prepare
    const { source, clock, container, store } = newWorld();
    source.add(normalRecords(1000));
    const logger = new MemoryModelLogger();
    const serving = container({}, logger);
    const v1 = trainedVersion(await serving.maybeTrain(1000));
    clock.advance(1_000);
    const foreign = trainModel(normalRecords(50), { contamination: 0.1, forest: { trees: 5 }, now: new Date(clock.now()) });
    await store.publish({ ...foreign, featureSchemaVersion: 'fs0-7-deadbeef' });
    // Act
    clock.advance(30_000);
    const kept = await serving.scoreRecords(probe);
    clock.advance(30_000);
    await serving.scoreRecords(probe);
    const fresh = container();
    const freshScores = await fresh.scoreRecords(probe);
    const replacement = await fresh.maybeTrain(0);
    // Assess
    expect(kept!.every((score) => score.modelVersion === v1)).toBe(true);
    expect(logger.warnings()).toHaveLength(1);
    expect(logger.warnings()[0]?.fields).toMatchObject({ version: foreign.version, kept: v1, error: expect.stringMatching(/trained with feature schema fs0-7-deadbeef.*retrain/) });
    expect(freshScores).toBeNull();
    expect(replacement).toMatchObject({ action: 'trained', reason: 'initial' });
    expect(await store.readLatestPointer()).toBe(trainedVersion(replacement));
  });

  it('treats an unreadable pointer as no model: trains a replacement that repairs the pointer', async () => {
    // Prepare
    const { source, container, store } = newWorld();
    source.add(normalRecords(1000));
    await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: store.pointerKey, Body: Buffer.from('{"version":"../x"}') }));
    const logger = new MemoryModelLogger();
    const manager = container({}, logger);
    // Act
    const scores = await manager.scoreRecords(probe);
    const outcome = await manager.maybeTrain(0);
    // Assess
    expect(scores).toBeNull();
    expect(logger.warnings()[0]?.fields).toMatchObject({ version: '(unreadable pointer)', error: expect.stringContaining('latest model pointer is invalid') });
    expect(outcome).toMatchObject({ action: 'trained', reason: 'initial' });
    expect(await store.readLatestPointer()).toBe(trainedVersion(outcome));
  });

  it('keeps scoring through an S3 outage; without a model the outage is an InfrastructureError', async () => {
    // Prepare: a bucket of its own that is emptied and deleted mid-test.
    const bucket = 'outage-models';
    await s3.client.send(new CreateBucketCommand({ Bucket: bucket }));
    const source = new InMemoryTrainingSource();
    source.add(normalRecords(1000));
    const clock = new FakeClock(START);
    const logger = new MemoryModelLogger();
    const deps = { source, lock: new InMemoryTrainerLock(), clock, policy: LIGHT };
    const serving = new ModelManager({ ...deps, store: new S3ModelStore(s3.client, bucket), logger });
    const version = trainedVersion(await serving.maybeTrain(1000));
    const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: bucket }));
    for (const object of listed.Contents ?? []) await s3.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: object.Key }));
    await s3.client.send(new DeleteBucketCommand({ Bucket: bucket }));
    // Act
    clock.advance(30_000);
    const scores = await serving.scoreRecords(probe);
    const coldStart = new ModelManager({ ...deps, store: new S3ModelStore(s3.client, bucket) }).scoreRecords(probe);
    // Assess
    expect(scores!.every((score) => score.modelVersion === version)).toBe(true);
    expect(logger.warnings()[0]).toMatchObject({ message: expect.stringContaining('unreachable'), fields: { version } });
    await expect(coldStart).rejects.toThrow(InfrastructureError);
  });
});
