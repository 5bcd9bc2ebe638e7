import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../functions/shared/errors.js';
import {
  activeModel,
  createExperiment,
  finishExperiment,
  getExperiment,
  registerModel,
  type NewExperiment,
  type NewModel,
} from '../../../../functions/shared/db/index.js';
import { createTestDatabase, type TestDatabase } from '../../../helpers/postgres.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

function experiment(id: string, overrides: Partial<NewExperiment> = {}): NewExperiment {
  return { id, name: `run ${id}`, producers: 4, consumers: 2, partitions: 8, settings: { rate: 500, batchSize: 100 }, ...overrides };
}

function model(version: string, overrides: Partial<NewModel> = {}): NewModel {
  return {
    version,
    featureSchemaVersion: 'features-v1',
    trainedAt: '2024-05-01T12:00:00.000Z',
    trainingRows: 5_000,
    threshold: 0.61,
    contamination: 0.02,
    scoreStats: { mean: 0.42, p99: 0.66 },
    artifactKey: `models/${version}/model.json`,
    ...overrides,
  };
}

describe('experiments', () => {
  it('creates a running experiment once; creating it again changes nothing', async () => {
    // Act
    const first = await createExperiment(db.pool, experiment('exp-a', { startedAt: '2024-05-01T10:00:00Z' }));
    const again = await createExperiment(db.pool, experiment('exp-a', { name: 'renamed', producers: 9 }));

    // Assess
    expect(first).toEqual({ created: true });
    expect(again).toEqual({ created: false });
    expect(await getExperiment(db.pool, 'exp-a')).toMatchObject({
      id: 'exp-a', name: 'run exp-a', producers: 4, consumers: 2, partitions: 8, settings: { rate: 500, batchSize: 100 },
      status: 'running', statusReason: null, startedAt: '2024-05-01T10:00:00.000Z', endedAt: null,
    });
  });

  it('finishes a running experiment once; its first outcome stands', async () => {
    // Prepare
    await createExperiment(db.pool, experiment('exp-b'));

    // Act
    const first = await finishExperiment(db.pool, 'exp-b', 'failed', 'producer crashed', '2024-05-01T11:00:00Z');
    const second = await finishExperiment(db.pool, 'exp-b', 'completed', null);

    // Assess
    expect(first).toEqual({ finished: true });
    expect(second).toEqual({ finished: false });
    expect(await getExperiment(db.pool, 'exp-b')).toMatchObject({ status: 'failed', statusReason: 'producer crashed', endedAt: '2024-05-01T11:00:00.000Z' });
  });

  it('refuses unknown ids, bad statuses and malformed experiments', async () => {
    // Prepare
    await createExperiment(db.pool, experiment('exp-c'));
    const attempts: Array<[() => Promise<unknown>, RegExp]> = [
      [() => finishExperiment(db.pool, 'missing', 'completed', null), /no experiment with id "missing"/],
      [() => finishExperiment(db.pool, 'exp-c', 'running' as never, null), /status must be "completed" or "failed"/],
      [() => createExperiment(db.pool, experiment('x'.repeat(201))), /experiment id is longer than 200 characters/],
      [() => createExperiment(db.pool, experiment('exp-d', { partitions: 0 })), /experiment\.partitions must be an integer in \[1, 10000\]/],
      [() => createExperiment(db.pool, experiment('exp-d', { producers: -1 })), /experiment\.producers must be an integer/],
      [() => createExperiment(db.pool, experiment('')), /experiment id must not be empty/],
    ];

    // Act + Assess (one attempt at a time)
    for (const [attempt, message] of attempts) {
      const error = await attempt().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toMatch(message);
    }
    expect(await getExperiment(db.pool, 'exp-c')).toMatchObject({ status: 'running' });
    expect(await getExperiment(db.pool, 'exp-d')).toBeNull();
  });
});

describe("the seed's SQL on experiments (migration 012)", () => {
  it("reads the seed's column names and runs its 30-day cleanup as written", async () => {
    // Prepare: a run finished 40 days ago, one finished yesterday, one still running
    const day = 24 * 3600 * 1000;
    await createExperiment(db.pool, experiment('seed-old', { startedAt: new Date(Date.now() - 41 * day).toISOString() }));
    await finishExperiment(db.pool, 'seed-old', 'completed', null, new Date(Date.now() - 40 * day).toISOString());
    await createExperiment(db.pool, experiment('seed-new', { startedAt: new Date(Date.now() - 2 * day).toISOString() }));
    await finishExperiment(db.pool, 'seed-new', 'completed', null, new Date(Date.now() - day).toISOString());
    await createExperiment(db.pool, experiment('seed-running'));

    // Act: the seed's statements, verbatim
    const columns = await db.pool.query(
      "SELECT id, experiment_name, num_producers, num_consumers, num_partitions, start_time, end_time, status FROM experiments WHERE id LIKE 'seed-%' ORDER BY id",
    );
    await db.pool.query("DELETE FROM experiments WHERE end_time < NOW() - INTERVAL '30 days';");

    // Assess: the seed's names carry the project's values; only the old finished run is gone
    expect(columns.rows.map((row) => [row.id, row.experiment_name, row.num_producers, row.num_consumers, row.num_partitions, row.end_time === null])).toEqual([
      ['seed-new', 'run seed-new', 4, 2, 8, false],
      ['seed-old', 'run seed-old', 4, 2, 8, false],
      ['seed-running', 'run seed-running', 4, 2, 8, true],
    ]);
    expect(await getExperiment(db.pool, 'seed-old')).toBeNull();
    expect(await getExperiment(db.pool, 'seed-new')).toMatchObject({ status: 'completed' });
    expect(await getExperiment(db.pool, 'seed-running')).toMatchObject({ status: 'running' });
  });
});

describe('model registry', () => {
  it('has no active model at first, then the latest registered one; older ones are retired', async () => {
    // Prepare
    const before = await activeModel(db.pool);

    // Act
    const v1 = await registerModel(db.pool, model('v1'));
    const v2 = await registerModel(db.pool, model('v2', { threshold: 0.7 }));
    const v1Again = await registerModel(db.pool, model('v1'));

    // Assess
    expect(before).toBeNull();
    expect([v1, v2, v1Again]).toEqual([{ registered: true }, { registered: true }, { registered: false }]);
    expect(await activeModel(db.pool)).toMatchObject({
      version: 'v2', featureSchemaVersion: 'features-v1', trainedAt: '2024-05-01T12:00:00.000Z', trainingRows: 5_000,
      threshold: 0.7, contamination: 0.02, scoreStats: { mean: 0.42, p99: 0.66 }, artifactKey: 'models/v2/model.json', status: 'active',
    });
    const statuses = await db.pool.query('SELECT version, status FROM models ORDER BY version');
    expect(statuses.rows).toEqual([{ version: 'v1', status: 'retired' }, { version: 'v2', status: 'active' }]);
  });

  it('keeps exactly one active model when trainers register concurrently', async () => {
    // Act
    const results = await Promise.all(['c1', 'c2', 'c3', 'c4'].map((version) => registerModel(db.pool, model(version))));

    // Assess
    expect(results.every((result) => result.registered)).toBe(true);
    const active = await db.pool.query(`SELECT count(*)::int AS n FROM models WHERE status = 'active'`);
    expect(active.rows[0].n).toBe(1);
  });

  it('refuses malformed models', async () => {
    // Prepare
    const attempts: Array<[() => Promise<unknown>, RegExp]> = [
      [() => registerModel(db.pool, model('bad', { contamination: 0.7 })), /model\.contamination must be in \[0, 0\.5\]/],
      [() => registerModel(db.pool, model('bad', { threshold: Number.NaN })), /model\.threshold must be a finite number/],
      [() => registerModel(db.pool, model('bad', { trainingRows: -5 })), /model\.trainingRows must be an integer/],
      [() => registerModel(db.pool, model('')), /model\.version must not be empty/],
    ];

    // Act + Assess (one attempt at a time)
    for (const [attempt, message] of attempts) {
      const error = await attempt().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toMatch(message);
    }
    const bad = await db.pool.query(`SELECT count(*)::int AS n FROM models WHERE version = 'bad'`);
    expect(bad.rows[0].n).toBe(0);
  });
});
