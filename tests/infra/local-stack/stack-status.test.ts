import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadModelConfig } from '../../../functions/shared/config/index.js';
import { insertDeadLetters, registerModel } from '../../../functions/shared/db/index.js';
import { formatStackStatus, readStackStatus, type StackStatus } from '../../../infra/local-stack/stack-status.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';
import { emptyTables, storeLogs } from '../../functions/dashboard-publisher/publisher-fixtures.js';

const DEFAULTS = { trainingWindow: 1000, firstTrainingWindow: 200 };
const base: StackStatus = { produced: 1204, stored: 37, anomalies: 3, deadLetters: 0, lag: 4, modelVersion: null, modelRows: null };

describe("npm start's status line", () => {
  it('before any model, says when the first one comes: after firstTrainingWindow stored, with the progress', () => {
    // Act
    const early = formatStackStatus(base, DEFAULTS);
    const due = formatStackStatus({ ...base, stored: 5_000 }, DEFAULTS);

    // Assess
    expect(early).toBe('produced 1,204 · stored 37 · anomalies 3 · dead letters 0 · lag 4 · first model after 200 stored (37/200)');
    expect(due.endsWith(' · first model after 200 stored (200/200)')).toBe(true);
  });

  it('says when the serving model is provisional, and nothing more for a full one', () => {
    // Act
    const provisional = formatStackStatus({ ...base, stored: 250, modelVersion: '20261124T110000Z-abc123', modelRows: 200 }, DEFAULTS);
    const refined = formatStackStatus({ ...base, stored: 850, modelVersion: 'v3', modelRows: 800 }, DEFAULTS);
    const full = formatStackStatus({ ...base, stored: 1_250, modelVersion: 'v4', modelRows: 1000 }, DEFAULTS);

    // Assess
    expect(provisional.endsWith(' · model 20261124T110000Z-abc123 (provisional: 200 of 1,000 records)')).toBe(true);
    expect(refined.endsWith(' · model v3 (provisional: 800 of 1,000 records)')).toBe(true);
    expect(full.endsWith(' · model v4')).toBe(true);
  });

  it("uses the detector's configured windows (its model config), grouping thousands", () => {
    // Prepare: what `npm start` reads from the env file it wrote
    const training = loadModelConfig({ TRAINING_WINDOW: '20000', FIRST_TRAINING_WINDOW: '5000' });

    // Act
    const waiting = formatStackStatus({ ...base, stored: 1_234 }, training);
    const provisional = formatStackStatus({ ...base, modelVersion: 'v1', modelRows: 10_000 }, training);
    const fullUnderOldWindow = formatStackStatus({ ...base, modelVersion: 'v1', modelRows: 1_000 }, DEFAULTS);

    // Assess
    expect(waiting.endsWith(' · first model after 5,000 stored (1,234/5,000)')).toBe(true);
    expect(provisional.endsWith(' · model v1 (provisional: 10,000 of 20,000 records)')).toBe(true);
    expect(fullUnderOldWindow.endsWith(' · model v1')).toBe(true);
  });
});

describe('readStackStatus', () => {
  let db: TestDatabase;
  /** The Kafka side, as kafkajs's admin answers: 40 records on the topic, 30 committed. */
  const admin = {
    fetchTopicOffsets: async () => [{ partition: 0, offset: '40', high: '40', low: '0' }],
    fetchOffsets: async () => [{ topic: 'logs', partitions: [{ partition: 0, offset: '30', metadata: null }] }],
  } as unknown as Admin;
  const read = () => readStackStatus({ admin, db: db.pool, logsTopic: 'logs', detectorGroupId: 'detector' });
  const model = (version: string, trainingRows: number) =>
    registerModel(db.pool, { version, featureSchemaVersion: 'fs', trainedAt: new Date().toISOString(), trainingRows, threshold: 0.6, contamination: 0.1, scoreStats: {}, artifactKey: `models/${version}/model.json` });

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });
  beforeEach(async () => {
    await emptyTables(db.pool);
  });

  it("reads the newest model's training rows from the models table, null before the first", async () => {
    // Prepare
    await storeLogs(db.pool, Array.from({ length: 12 }, () => ({ service: 'auth', level: 'INFO' })));

    // Act
    const before = await read();
    await model('m-200', 200);
    const provisional = await read();
    await model('m-1000', 1000);
    const full = await read();

    // Assess
    expect(before).toEqual({ produced: 40, lag: 10, stored: 12, anomalies: 0, deadLetters: 0, modelVersion: null, modelRows: null });
    expect(provisional).toMatchObject({ modelVersion: 'm-200', modelRows: 200 });
    expect(full).toMatchObject({ modelVersion: 'm-1000', modelRows: 1000 });
    expect(formatStackStatus(before, DEFAULTS).endsWith(' · first model after 200 stored (12/200)')).toBe(true);
    expect(formatStackStatus(provisional, DEFAULTS).endsWith(' · model m-200 (provisional: 200 of 1,000 records)')).toBe(true);
    expect(formatStackStatus(full, DEFAULTS).endsWith(' · model m-1000')).toBe(true);
  });

  it('counts stored logs, anomalies and dead letters from the rollups, equal to the rows', async () => {
    // Prepare: 5 logs (2 flagged) in two batches, and 2 dead letters, one of them redelivered
    await storeLogs(db.pool, [{ service: 'auth', level: 'INFO' }, { service: 'auth', level: 'ERROR', anomalyScore: 0.8 }, { service: 'web', level: 'INFO', anomalyScore: 0.9 }]);
    await storeLogs(db.pool, [{ service: 'web', level: 'WARN' }, { service: 'web', level: 'INFO' }]);
    const letter = { topic: 'logs', partition: 0, offset: 9_999, rawKey: null, rawValue: null, headers: [], reason: 'not JSON', component: 'detector' };
    await insertDeadLetters(db.pool, [letter, { ...letter, offset: 9_998 }]);
    await insertDeadLetters(db.pool, [letter]);
    const rows = await db.pool.query('SELECT (SELECT count(*) FROM logs)::int AS logs, (SELECT count(*) FROM anomalies)::int AS anomalies, (SELECT count(*) FROM dead_letters)::int AS letters');

    // Act
    const status = await read();

    // Assess
    expect(rows.rows[0]).toEqual({ logs: 5, anomalies: 2, letters: 2 });
    expect(status).toMatchObject({ stored: 5, anomalies: 2, deadLetters: 2 });
  });
});
