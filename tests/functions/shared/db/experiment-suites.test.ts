import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../functions/shared/errors.js';
import { createExperiment, getExperiment, listExperiments, saveExperimentSummary, type NewExperiment } from '../../../../functions/shared/db/index.js';
import { createTestDatabase, type TestDatabase } from '../../../helpers/postgres.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

function experiment(id: string, overrides: Partial<NewExperiment> = {}): NewExperiment {
  return { id, name: 'run', producers: 1, consumers: 1, partitions: 3, settings: { rate: 1 }, ...overrides };
}

describe('experiment suites, trials and summaries (migration 005)', () => {
  it('records the suite and trial of a run; a run outside a suite has neither', async () => {
    // Act
    await createExperiment(db.pool, experiment('s1.a.t2', { suiteId: 's1', trial: 2, startedAt: '2026-01-01T00:00:02Z' }));
    await createExperiment(db.pool, experiment('single', { startedAt: '2026-01-01T00:00:01Z' }));

    // Assess
    expect(await getExperiment(db.pool, 's1.a.t2')).toMatchObject({ suiteId: 's1', trial: 2, summary: null });
    expect(await getExperiment(db.pool, 'single')).toMatchObject({ suiteId: null, trial: null, summary: null });
  });

  it('stores a summary as JSON and replaces it when saved again', async () => {
    // Prepare
    await createExperiment(db.pool, experiment('with-summary'));

    // Act
    await saveExperimentSummary(db.pool, 'with-summary', { throughput: 1.5, notes: ['first'] });
    await saveExperimentSummary(db.pool, 'with-summary', { throughput: 2.5, notes: ['<b>text</b> \u0000 kept safely'] });

    // Assess
    expect((await getExperiment(db.pool, 'with-summary'))!.summary).toEqual({ throughput: 2.5, notes: ['<b>text</b> \uFFFD kept safely'] });
  });

  it('lists by ids or by suite, newest first', async () => {
    // Prepare
    await createExperiment(db.pool, experiment('s1.a.t1', { suiteId: 's1', trial: 1, startedAt: '2026-01-01T00:00:00Z' }));

    // Act
    const bySuite = await listExperiments(db.pool, { suiteId: 's1' });
    const byIds = await listExperiments(db.pool, { ids: ['single', 's1.a.t1', 'unknown'] });

    // Assess
    expect(bySuite.map((run) => run.id)).toEqual(['s1.a.t2', 's1.a.t1']);
    expect(byIds.map((run) => run.id)).toEqual(['single', 's1.a.t1']);
  });

  it('refuses bad trials, suite ids and unknown experiments', async () => {
    // Act + Assess
    await expect(createExperiment(db.pool, experiment('bad-trial', { trial: 0 }))).rejects.toThrow(/experiment\.trial must be an integer/);
    await expect(createExperiment(db.pool, experiment('bad-suite', { suiteId: 'x'.repeat(201) }))).rejects.toThrow(/suiteId is longer than 200/);
    await expect(saveExperimentSummary(db.pool, 'missing', {})).rejects.toThrow(ValidationError);
    await expect(listExperiments(db.pool, { ids: [''] })).rejects.toThrow(/experiment id must not be empty/);
  });
});
