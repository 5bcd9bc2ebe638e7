import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Detector } from '../../../functions/detector/create-detector.js';
import { createPool } from '../../../functions/shared/db/index.js';
import { FEATURE_SCHEMA_VERSION, extractFeatures, featureNames } from '../../../functions/shared/features/index.js';
import type { LogRecord } from '../../../functions/shared/log/index.js';
import { S3ModelStore } from '../../../functions/shared/model/s3-model-store.js';
import { mskEvent } from '../../helpers/kafka-events.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';
import { startTestS3, type TestS3 } from '../../helpers/s3.js';
import { MODEL_BUCKET, MemoryDetectorLogger, generatedBatch, logRecordInputs, obviousAnomalies, tableCounts, testDetector } from './detector-kit.js';

const PREFIX = 'lifecycle/models/';

let db: TestDatabase;
let s3: TestS3;

beforeAll(async () => {
  [db, s3] = await Promise.all([createTestDatabase(), startTestS3([MODEL_BUCKET])]);
});
afterAll(async () => {
  await Promise.all([db?.drop(), s3?.stop()]);
});

interface StoredAnomaly {
  log_id: string;
  score: number;
  threshold: number;
  model_version: string;
  features: Record<string, number>;
  contributions: Array<{ feature: string; contribution: number }>;
}

async function anomaliesOfPartition(partition: number): Promise<StoredAnomaly[]> {
  const result = await db.pool.query<StoredAnomaly>(
    `SELECT l.log_id, a.score, a.threshold, a.model_version, a.features, a.contributions
     FROM anomalies a JOIN logs l ON l.id = a.log_pk WHERE l.partition = $1 ORDER BY l.kafka_offset`,
    [partition],
  );
  return result.rows;
}

describe('detector: model lifecycle end to end', () => {
  // One story, told in order: each step builds on the previous one's state.
  const warmLogger = new MemoryDetectorLogger();
  let warm: Detector;
  let version = '';
  const probe: LogRecord[] = [];

  beforeAll(() => {
    warm = testDetector({ pool: db.pool, s3: s3.client, prefix: PREFIX, logger: warmLogger });
    probe.push(...generatedBatch({ count: 40, partition: 0, firstOffset: 0, seed: 13, startIndex: 400 }).generated.map((one) => one.record), ...obviousAnomalies(5));
  });

  it('stores records unflagged while there is no model and fewer than the training window are stored', async () => {
    // Prepare
    const { inputs } = generatedBatch({ count: 120, partition: 0, firstOffset: 0, seed: 11 });

    // Act
    const summary = await warm.handle(mskEvent(inputs));

    // Assess
    expect(summary).toEqual({ records: 120, stored: 120, duplicates: 0, anomalies: 0, deadLetters: 0, modelVersion: null });
    expect(warmLogger.lastBatch()).toMatchObject({ training: 'skipped' });
    expect(await tableCounts(db.pool)).toEqual({ logs: 120, anomalies: 0, deadLetters: 0, models: 0 });
  });

  it('trains once enough records are stored: artifact in S3, an active models row', async () => {
    // Prepare
    const { inputs } = generatedBatch({ count: 120, partition: 1, firstOffset: 0, seed: 12, startIndex: 120 });

    // Act
    const summary = await warm.handle(mskEvent(inputs));

    // Assess: this batch was scored before the model existed; the model came after the commit
    expect(summary).toMatchObject({ stored: 120, anomalies: 0, modelVersion: null, trained: expect.stringMatching(/^\d{8}T\d{6}Z-[0-9a-f]{6}$/) });
    version = summary.trained!;
    expect(warm.modelManager.current()?.manifest.version).toBe(version);
    const store = new S3ModelStore(s3.newClient(), MODEL_BUCKET, PREFIX);
    expect(await store.readLatestPointer()).toBe(version);
    expect(s3.writes.map((write) => write.key)).toEqual(expect.arrayContaining([`${PREFIX}${version}/model.json`, `${PREFIX}${version}/manifest.json`, `${PREFIX}latest`]));
    const models = await db.pool.query('SELECT version, feature_schema_version, training_rows, artifact_key, status FROM models');
    expect(models.rows).toEqual([
      { version, feature_schema_version: FEATURE_SCHEMA_VERSION, training_rows: 200, artifact_key: `${PREFIX}${version}/model.json`, status: 'active' },
    ]);
  });

  it('scores the next batch with the new model and flags the obvious anomalies, with contributions', async () => {
    // Act
    const summary = await warm.handle(mskEvent(logRecordInputs(probe, { partition: 2, firstOffset: 0 })));

    // Assess
    expect(summary).toMatchObject({ records: 45, stored: 45, modelVersion: version });
    expect(summary.trained).toBeUndefined();
    const anomalies = await anomaliesOfPartition(2);
    expect(summary.anomalies).toBe(anomalies.length);
    expect(anomalies.map((anomaly) => anomaly.log_id)).toEqual(expect.arrayContaining(['obvious-0', 'obvious-1', 'obvious-2', 'obvious-3', 'obvious-4']));
    for (const anomaly of anomalies) {
      const record = probe.find((one) => one.id === anomaly.log_id)!;
      expect(anomaly.model_version).toBe(version);
      expect(anomaly.score).toBeGreaterThan(anomaly.threshold);
      // Every feature the model scored, by name — and nothing else (the label is never a feature).
      expect(anomaly.features).toEqual(Object.fromEntries(featureNames.map((name, i) => [name, extractFeatures(record)[i]])));
      // Which features drove it: named features, positive shares, largest first.
      expect(anomaly.contributions.length).toBeGreaterThan(0);
      for (const { feature, contribution } of anomaly.contributions) {
        expect(featureNames).toContain(feature);
        expect(contribution).toBeGreaterThan(0);
      }
      const shares = anomaly.contributions.map((one) => one.contribution);
      expect(shares).toEqual([...shares].sort((a, b) => b - a));
    }
  });

  it('a cold start (new pool, new S3 client) loads the model from S3 and scores exactly like the warm container', async () => {
    // Prepare
    const pool = createPool({ connectionString: db.connectionString });
    const cold = testDetector({ pool, s3: s3.newClient(), prefix: PREFIX });

    try {
      // Act: the same records, on another partition so they are not duplicates
      const summary = await cold.handle(mskEvent(logRecordInputs(probe, { partition: 3, firstOffset: 0 })));
      const coldScores = await cold.modelManager.scoreRecords(probe);
      const warmScores = await warm.modelManager.scoreRecords(probe);

      // Assess: same version, same flags, same scores, same contributions
      expect(summary).toMatchObject({ records: 45, stored: 45, modelVersion: version });
      const strip = (rows: StoredAnomaly[]) => rows.map(({ log_id, score, threshold, model_version, contributions }) => ({ log_id, score, threshold, model_version, contributions }));
      expect(strip(await anomaliesOfPartition(3))).toEqual(strip(await anomaliesOfPartition(2)));
      expect(coldScores).toEqual(warmScores);
      expect(await tableCounts(db.pool)).toMatchObject({ models: 1 });
    } finally {
      await pool.end();
    }
  });
});
