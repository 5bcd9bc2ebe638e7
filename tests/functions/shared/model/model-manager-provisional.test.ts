import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogRecord } from '../../../../functions/shared/log/index.js';
import { ModelManager, type TrainOutcome } from '../../../../functions/shared/model/model-manager.js';
import type { ModelPolicyOverrides } from '../../../../functions/shared/model/model-policy.js';
import { S3ModelStore } from '../../../../functions/shared/model/s3-model-store.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { startTestS3, type TestS3 } from '../../../helpers/s3.js';
import { anomalousRecords, normalRecords } from './log-fixtures.js';
import { InMemoryTrainerLock, InMemoryTrainingSource } from './training-doubles.js';

const BUCKET = 'provisional-models';
const START = Date.parse('2026-11-24T11:00:00.000Z');
/** A smaller forest than production's 100 trees keeps these lifecycle tests light. */
const LIGHT: ModelPolicyOverrides = { forest: { trees: 20 } };

let s3: TestS3;
let worldCounter = 0;

/** One deployment: its own key prefix; shared source, lock and clock (PostgreSQL's and time's role). */
function newWorld() {
  worldCounter += 1;
  const prefix = `prov${worldCounter}/models/`;
  const source = new InMemoryTrainingSource();
  const lock = new InMemoryTrainerLock();
  const clock = new FakeClock(START);
  const container = (policy: ModelPolicyOverrides = {}) =>
    new ModelManager({ store: new S3ModelStore(s3.newClient(), BUCKET, prefix), source, lock, clock, policy: { ...LIGHT, ...policy } });
  let batchNo = 0;
  /** One detector batch of `size` normal records 1 s after the last: scored, stored, then maybeTrain. */
  const batch = async (manager: ModelManager, size = 100, records: readonly LogRecord[] = normalRecords(size, 700 + batchNo, `p${batchNo}`)): Promise<TrainOutcome> => {
    batchNo += 1;
    clock.advance(1_000);
    await manager.scoreRecords(records);
    source.add(records);
    return manager.maybeTrain(records.length);
  };
  return { source, clock, container, batch, store: new S3ModelStore(s3.client, BUCKET, prefix) };
}

/** "action reason rows" (or "action reason available/needed") per outcome, for compact sequences. */
function summary(outcome: TrainOutcome): string {
  switch (outcome.action) {
    case 'trained':
      return `trained ${outcome.reason} ${outcome.manifest.trainingWindow.rows}`;
    case 'skipped':
      return `skipped ${outcome.reason} ${outcome.available}/${outcome.needed}`;
    case 'none':
      return 'none';
    default:
      return `${outcome.action} ${outcome.reason}`;
  }
}

beforeAll(async () => {
  s3 = await startTestS3([BUCKET]);
});

afterAll(async () => {
  await s3?.stop();
});

describe('ModelManager: a provisional first model, refined until it has the training window', () => {
  it('trains at firstTrainingWindow, refines at each doubling (200 → 400 → 800 → 1,000), then stops counting', async () => {
    // Prepare: no floor, no scheduled or drift retrain (those are tested below)
    const { source, container, batch } = newWorld();
    const manager = container({ retrainMinSeconds: 0, retrainEvery: 0, shift: { window: 0 } });
    // Act: 20 batches of 100 records
    const outcomes: string[] = [];
    let countsAtFull = -1;
    for (let i = 0; i < 20; i++) {
      outcomes.push(summary(await batch(manager)));
      if (i === 9) countsAtFull = source.countCalls;
    }
    // Assess
    expect(outcomes).toEqual([
      'skipped initial 100/200',
      'trained initial 200',
      'skipped refine 300/400',
      'trained refine 400',
      'skipped refine 500/800',
      'skipped refine 600/800',
      'skipped refine 700/800',
      'trained refine 800',
      'skipped refine 900/1000',
      'trained refine 1000',
      ...Array.from({ length: 10 }, () => 'none'),
    ]);
    expect(source.countLimits).toEqual([200, 200, 400, 400, 800, 800, 800, 800, 1000, 1000]);
    expect(source.countCalls).toBe(countsAtFull);
    expect(manager.current()?.manifest.trainingWindow.rows).toBe(1000);
  });

  it('trains on every stored record up to the training window: a late first training or refinement may skip steps', async () => {
    // Prepare: 700 records already stored when the first call comes
    const { source, container, batch } = newWorld();
    source.add(normalRecords(700, 710, 'late'));
    const manager = container({ retrainMinSeconds: 0, shift: { window: 0 } });
    // Act
    const first = summary(await manager.maybeTrain(700));
    const outcomes = [];
    for (let i = 0; i < 7; i++) outcomes.push(summary(await batch(manager)));
    // Assess: 700 → (1,400 needed, capped at 1,000) → 1,000
    expect(first).toBe('trained initial 700');
    expect(outcomes).toEqual(['skipped refine 800/1000', 'skipped refine 900/1000', 'trained refine 1000', 'none', 'none', 'none', 'none']);
  });

  it('after the full window, retrains only by the usual rules (retrainEvery scored records)', async () => {
    // Prepare
    const { container, batch } = newWorld();
    const manager = container({ retrainMinSeconds: 0, retrainEvery: 500, shift: { window: 0 } });
    for (let i = 0; i < 10; i++) await batch(manager);
    const full = manager.current()!.manifest;
    // Act
    const outcomes = [];
    for (let i = 0; i < 5; i++) outcomes.push(await batch(manager));
    // Assess
    expect(full.trainingWindow.rows).toBe(1000);
    expect(outcomes.slice(0, 4).map(summary)).toEqual(['none', 'none', 'none', 'none']);
    expect(outcomes[4]).toMatchObject({ action: 'trained', reason: 'scheduled', detail: `500 records scored by ${full.version} (retrainEvery 500)` });
  });

  it('neither retrainEvery nor a score shift replaces a provisional model: only a refinement does', async () => {
    // Prepare: a provisional model of 200 rows; then 300 anomalous records scored by it while only 250 are stored
    const { source, container } = newWorld();
    source.add(normalRecords(200, 720, 'base'));
    const manager = container({ retrainMinSeconds: 0, retrainEvery: 100, shift: { window: 100 } });
    const first = await manager.maybeTrain(200);
    await manager.scoreRecords(anomalousRecords(300, 721, 'odd'));
    source.add(normalRecords(50, 722, 'more'));
    // Act
    const outcome = await manager.maybeTrain(300);
    // Assess
    expect(summary(first)).toBe('trained initial 200');
    expect(outcome).toEqual({ action: 'skipped', reason: 'refine', available: 250, needed: 400 });
  });

  it('refines without waiting for the retrain floor (refinements are few), and the full model then waits for it', async () => {
    // Prepare
    const { source, clock, container } = newWorld();
    source.add(normalRecords(200, 730, 'floor'));
    const manager = container({ retrainMinSeconds: 60, retrainEvery: 100 });
    const first = await manager.maybeTrain(200);
    // Act: 200 and then 600 more records stored 10 s and 20 s after the first model; then 100 more
    clock.advance(10_000);
    source.add(normalRecords(200, 731, 'floor-a'));
    const at10s = await manager.maybeTrain(200);
    clock.advance(10_000);
    source.add(normalRecords(600, 732, 'floor-b'));
    const at20s = await manager.maybeTrain(600);
    clock.advance(10_000);
    source.add(normalRecords(100, 733, 'floor-c'));
    await manager.scoreRecords(normalRecords(100, 734, 'scored'));
    const fullAt30s = await manager.maybeTrain(100);
    // Assess
    expect(summary(first)).toBe('trained initial 200');
    expect(at10s).toMatchObject({ action: 'trained', reason: 'refine', detail: expect.stringMatching(/^provisional \S+ trained on 200 of 1000 records$/) });
    expect(summary(at10s)).toBe('trained refine 400');
    expect(summary(at20s)).toBe('trained refine 1000');
    expect(fullAt30s).toEqual({ action: 'none' });
  });

  it('a container that loads a provisional model from S3 knows it is provisional (its manifest rows) and refines it', async () => {
    // Prepare: container A trains the first model on 200 records; B starts cold once 400 are stored
    const { source, container, store } = newWorld();
    source.add(normalRecords(200, 740, 'a'));
    const a = container({ retrainMinSeconds: 0 });
    const v200 = await a.maybeTrain(200);
    source.add(normalRecords(200, 741, 'b'));
    const b = container({ retrainMinSeconds: 0 });
    // Act
    const refined = await b.maybeTrain(200);
    // Assess
    expect(summary(v200)).toBe('trained initial 200');
    expect(summary(refined)).toBe('trained refine 400');
    expect(await store.readLatestPointer()).toBe(refined.action === 'trained' ? refined.manifest.version : null);
  });

  it('a refinement that finds another published meanwhile adopts it instead of training (superseded)', async () => {
    // Prepare: both containers serve the 200-row model; A refines it first
    const { source, container } = newWorld();
    source.add(normalRecords(200, 750, 's'));
    const a = container({ retrainMinSeconds: 0 });
    const b = container({ retrainMinSeconds: 0 });
    await a.maybeTrain(200);
    await b.refresh(true);
    source.add(normalRecords(200, 751, 's2'));
    const refined = await a.maybeTrain(200);
    // Act: B's cached pointer (the 200-row model) is within its recheck interval
    const outcome = await b.maybeTrain(200);
    // Assess
    const version = refined.action === 'trained' ? refined.manifest.version : null;
    expect(summary(refined)).toBe('trained refine 400');
    expect(outcome).toEqual({ action: 'superseded', reason: 'refine', version });
    expect(b.current()?.manifest.trainingWindow.rows).toBe(400);
  });

  it('clamps firstTrainingWindow to the training window: the first model is then full', async () => {
    // Prepare
    const { container, batch } = newWorld();
    const manager = container({ trainingWindow: 150, firstTrainingWindow: 200, retrainMinSeconds: 0, shift: { window: 0 } });
    // Act
    const outcomes = [];
    for (let i = 0; i < 4; i++) outcomes.push(summary(await batch(manager, 50)));
    // Assess
    expect(outcomes).toEqual(['skipped initial 50/150', 'skipped initial 100/150', 'trained initial 150', 'none']);
  });
});
