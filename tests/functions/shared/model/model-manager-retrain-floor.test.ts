import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogRecord } from '../../../../functions/shared/log/index.js';
import { ModelManager, type TrainOutcome } from '../../../../functions/shared/model/model-manager.js';
import type { ModelPolicyOverrides } from '../../../../functions/shared/model/model-policy.js';
import { S3ModelStore } from '../../../../functions/shared/model/s3-model-store.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { startTestS3, type TestS3 } from '../../../helpers/s3.js';
import { anomalousRecords, normalRecords } from './log-fixtures.js';
import { InMemoryTrainerLock, InMemoryTrainingSource } from './training-doubles.js';

const BUCKET = 'floor-models';
const START = Date.parse('2026-11-24T11:00:00.000Z');
/** A smaller forest than production's 100 trees keeps these lifecycle tests light. */
const LIGHT: ModelPolicyOverrides = { forest: { trees: 20 } };

let s3: TestS3;
let worldCounter = 0;

/** One deployment (own key prefix; shared source, lock and clock) with 1,000 stored records. */
function newWorld() {
  worldCounter += 1;
  const prefix = `floor${worldCounter}/models/`;
  const source = new InMemoryTrainingSource();
  source.add(normalRecords(1000));
  const lock = new InMemoryTrainerLock();
  const clock = new FakeClock(START);
  const container = (policy: ModelPolicyOverrides) =>
    new ModelManager({ store: new S3ModelStore(s3.newClient(), BUCKET, prefix), source, lock, clock, policy: { ...LIGHT, ...policy } });
  const manifestsStored = () => s3.writes.filter((write) => write.key.startsWith(prefix) && write.key.endsWith('/manifest.json')).length;
  /** Scores `records` with `manager`, stores them and asks it to train, like one detector batch. */
  const batch = async (manager: ModelManager, records: readonly LogRecord[]): Promise<TrainOutcome> => {
    await manager.scoreRecords(records);
    source.add(records);
    return manager.maybeTrain(records.length);
  };
  return { source, clock, container, manifestsStored, batch };
}

/** Moves the clock forward to `ms` after START (the first model's trainedAt). */
function ageTo(clock: FakeClock, ms: number): void {
  clock.advance(START + ms - clock.now());
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

describe('ModelManager: minimum model age before a retrain (retrainMinSeconds)', () => {
  it('holds a retrain due by count until the model is retrainMinSeconds old, then retrains with the full count', async () => {
    // Prepare: v1 trained at START; a retrain is due by count from the third batch on.
    const { source, clock, container, manifestsStored, batch } = newWorld();
    const manager = container({ retrainEvery: 250, retrainMinSeconds: 60, shift: { window: 0 } });
    const v1 = trainedVersion(await manager.maybeTrain(1000));
    const countsBefore = source.countCalls;
    const held: TrainOutcome[] = [];
    // Act: batches at model ages 20 s, 40 s and 59.999 s, then a call at exactly 60 s.
    for (const [i, ageMs] of [20_000, 40_000, 59_999].entries()) {
      ageTo(clock, ageMs);
      held.push(await batch(manager, normalRecords(100, 600 + i, `f${i}`)));
    }
    const countsWhileHeld = source.countCalls;
    ageTo(clock, 60_000);
    const atFloor = await manager.maybeTrain(0);
    // Assess
    expect(held).toEqual([{ action: 'none' }, { action: 'none' }, { action: 'none' }]);
    expect(countsWhileHeld).toBe(countsBefore);
    expect(atFloor).toMatchObject({ action: 'trained', reason: 'scheduled', detail: `300 records scored by ${v1} (retrainEvery 250)` });
    expect(manager.current()?.manifest.version).toBe(trainedVersion(atFloor));
    expect(manifestsStored()).toBe(2);
  });

  it('holds a retrain due by score shift until the floor, then the still-shifted window triggers it', async () => {
    // Prepare
    const { clock, container, manifestsStored, batch } = newWorld();
    const manager = container({ retrainEvery: 0, retrainMinSeconds: 60, shift: { window: 100 } });
    const v1 = trainedVersion(await manager.maybeTrain(1000));
    // Act: an anomalous batch 1 s after training (a shift), then one call per 20 s of model age.
    clock.advance(1_000);
    const shifted = await batch(manager, anomalousRecords(100, 601, 'odd'));
    const outcomes: TrainOutcome[] = [];
    for (const ageMs of [20_000, 40_000, 60_000]) {
      ageTo(clock, ageMs);
      outcomes.push(await manager.maybeTrain(0));
    }
    // Assess
    expect(shifted).toEqual({ action: 'none' });
    expect(outcomes.slice(0, 2)).toEqual([{ action: 'none' }, { action: 'none' }]);
    expect(outcomes[2]).toMatchObject({ action: 'trained', reason: 'shift', detail: expect.stringMatching(/flagged share 1\.000 over the last 100 scores/) });
    expect(trainedVersion(outcomes[2]!)).not.toBe(v1);
    expect(manifestsStored()).toBe(2);
  });

  it("measures the age from the manifest's trainedAt, so a container that loaded the model late waits no longer", async () => {
    // Prepare: container A trains v1 at START; container B first loads it 50 s later.
    const { clock, container, batch } = newWorld();
    const trainer = container({ retrainMinSeconds: 60 });
    const v1 = trainedVersion(await trainer.maybeTrain(1000));
    ageTo(clock, 50_000);
    const late = container({ retrainEvery: 100, retrainMinSeconds: 60, shift: { window: 0 } });
    // Act: B scores 200 records at age 50 s (due by count), then is asked again at age 60 s.
    const beforeFloor = await batch(late, normalRecords(200, 602, 'late'));
    const servedBeforeFloor = late.current()?.manifest;
    ageTo(clock, 60_000);
    const atFloor = await late.maybeTrain(0);
    // Assess
    expect(servedBeforeFloor).toMatchObject({ version: v1, trainedAt: new Date(START).toISOString() });
    expect(beforeFloor).toEqual({ action: 'none' });
    expect(atFloor).toMatchObject({ action: 'trained', reason: 'scheduled', detail: expect.stringContaining(`200 records scored by ${v1}`) });
  });

  it('never delays the initial training, even with the longest floor', async () => {
    // Prepare
    const { container, manifestsStored } = newWorld();
    const manager = container({ retrainMinSeconds: 86_400 });
    // Act
    const outcome = await manager.maybeTrain(1000);
    // Assess
    expect(outcome).toMatchObject({ action: 'trained', reason: 'initial' });
    expect(manifestsStored()).toBe(1);
  });

  it.each([
    [0, 'trained'],
    [60, 'none'],
  ] as const)('with retrainMinSeconds %i, a retrain due by count 1 s after training is %s', async (retrainMinSeconds, expected) => {
    // Prepare
    const { clock, container, batch } = newWorld();
    const manager = container({ retrainEvery: 100, retrainMinSeconds, shift: { window: 0 } });
    await manager.maybeTrain(1000);
    clock.advance(1_000);
    // Act
    const outcome = await batch(manager, normalRecords(100, 603, 'zero'));
    // Assess
    expect(outcome.action).toBe(expected);
  });
});
