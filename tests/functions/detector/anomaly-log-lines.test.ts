import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Detector } from '../../../functions/detector/create-detector.js';
import { MAX_ANOMALY_LINES_PER_BATCH } from '../../../functions/detector/anomaly-log-lines.js';
import { createFunctionLogger } from '../../../functions/shared/logging/function-logger.js';
import { captureOutput } from '../../helpers/captured-output.js';
import { mskEvent } from '../../helpers/kafka-events.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';
import { startTestS3, type TestS3 } from '../../helpers/s3.js';
import { MODEL_BUCKET, MemoryDetectorLogger, generatedBatch, logRecordInputs, obviousAnomalies, testDetector } from './detector-kit.js';

/** Marker text in every anomalous record's message: it must never reach the log. */
const SECRET_TEXT = 'customer-card-4111111111111111';

let db: TestDatabase;
let s3: TestS3;
let detector: Detector;
const logger = new MemoryDetectorLogger();

beforeAll(async () => {
  [db, s3] = await Promise.all([createTestDatabase(), startTestS3([MODEL_BUCKET])]);
  detector = testDetector({ pool: db.pool, s3: s3.client, prefix: 'anomaly-lines/models/', logger });
  // A model: the small policy trains on 200 stored records.
  await detector.handle(mskEvent(generatedBatch({ count: 120, partition: 0, firstOffset: 0, seed: 21 }).inputs));
  const trained = await detector.handle(mskEvent(generatedBatch({ count: 120, partition: 1, firstOffset: 0, seed: 22, startIndex: 120 }).inputs));
  expect(trained.trained).toBeDefined();
}, 120_000);
afterAll(async () => {
  await Promise.all([db?.drop(), s3?.stop()]);
});

const anomalyLines = () => logger.lines.filter((line) => line.message === 'ANOMALY DETECTED');

describe('detector: ANOMALY DETECTED lines', () => {
  it('logs one INFO line per anomaly (service, level, score, threshold, top feature, coordinates, template), at most 20, then the count of the rest, never the text', async () => {
    // Prepare: 30 obvious anomalies whose messages hold text that must not be logged
    logger.lines.length = 0;
    const records = obviousAnomalies(30).map((record) => ({ ...record, message: `${record.message} ${SECRET_TEXT}` }));

    // Act
    const summary = await detector.handle(mskEvent(logRecordInputs(records, { partition: 2, firstOffset: 100 })));

    // Assess
    expect(summary.anomalies).toBeGreaterThan(MAX_ANOMALY_LINES_PER_BATCH);
    const lines = anomalyLines();
    expect(lines).toHaveLength(MAX_ANOMALY_LINES_PER_BATCH);
    for (const line of lines) {
      expect(line.level).toBe('info');
      // The template id is null when the model's feature set mines no templates (the small test policy).
      const { templateId, ...fields } = line.fields;
      expect(templateId === null || Number.isInteger(templateId)).toBe(true);
      expect(fields).toEqual({
        logService: 'payments-legacy',
        logLevel: 'FATAL',
        score: expect.any(Number),
        threshold: expect.any(Number),
        topFeature: expect.any(String),
        topContribution: expect.any(Number),
        topic: 'logs',
        partition: 2,
        offset: expect.any(Number),
        modelVersion: summary.modelVersion,
      });
      expect(line.fields.score as number).toBeGreaterThan(line.fields.threshold as number);
    }
    expect(new Set(lines.map((line) => line.fields.offset)).size).toBe(MAX_ANOMALY_LINES_PER_BATCH);
    const rest = logger.lines.filter((line) => line.message === 'more anomalies in this batch, not logged one by one');
    expect(rest).toEqual([{ level: 'info', message: 'more anomalies in this batch, not logged one by one', fields: { notLogged: summary.anomalies - MAX_ANOMALY_LINES_PER_BATCH, anomalies: summary.anomalies, linesPerBatch: MAX_ANOMALY_LINES_PER_BATCH } }]);
    expect(logger.text()).not.toContain(SECRET_TEXT);
    expect(logger.text()).not.toContain('connection pool exhausted');
  });

  it("through the functions' Powertools logger: every field kept, no reserved-key warning, no text", async () => {
    // Prepare: the logger the deployed detector uses, writing JSON lines to stdout
    const output = captureOutput();
    const powertools = testDetector({ pool: db.pool, s3: s3.client, prefix: 'anomaly-lines/models/', logger: createFunctionLogger('detector', { POWERTOOLS_LOG_LEVEL: 'INFO' }) });
    const records = obviousAnomalies(3).map((record) => ({ ...record, message: `${record.message} ${SECRET_TEXT}` }));

    try {
      // Act
      const summary = await powertools.handle(mskEvent(logRecordInputs(records, { partition: 4, firstOffset: 0 })));

      // Assess
      const lines = output.jsonLines();
      const anomalies = lines.filter((line) => line.message === 'ANOMALY DETECTED');
      expect(anomalies).toHaveLength(summary.anomalies);
      expect(summary.anomalies).toBeGreaterThan(0);
      expect(anomalies[0]).toMatchObject({ level: 'INFO', component: 'detector', logService: 'payments-legacy', logLevel: 'FATAL', topic: 'logs', partition: 4, offset: expect.any(Number) });
      expect(lines.filter((line) => line.level === 'WARN')).toEqual([]);
      expect(JSON.stringify(lines)).not.toContain(SECRET_TEXT);
    } finally {
      output.restore();
    }
  });

  it('builds and writes none when the logger says INFO is off', async () => {
    // Prepare: the memory logger at WARN
    logger.lines.length = 0;
    const quiet = Object.assign(new MemoryDetectorLogger(), { infoEnabled: () => false });
    const quietDetector = testDetector({ pool: db.pool, s3: s3.client, prefix: 'anomaly-lines/models/', logger: quiet });

    // Act
    const summary = await quietDetector.handle(mskEvent(logRecordInputs(obviousAnomalies(5), { partition: 3, firstOffset: 0 })));

    // Assess
    expect(summary.anomalies).toBeGreaterThan(0);
    expect(quiet.lines.filter((line) => line.message === 'ANOMALY DETECTED')).toEqual([]);
  });

  it("the functions' Powertools logger reports INFO off at POWERTOOLS_LOG_LEVEL=WARN and on at INFO", () => {
    // Prepare, Act
    const atWarn = createFunctionLogger('detector', { POWERTOOLS_LOG_LEVEL: 'WARN' });
    const atInfo = createFunctionLogger('detector', { POWERTOOLS_LOG_LEVEL: 'INFO' });
    const atDebug = createFunctionLogger('detector', { POWERTOOLS_LOG_LEVEL: 'DEBUG' });

    // Assess
    expect([atWarn.infoEnabled(), atInfo.infoEnabled(), atDebug.infoEnabled()]).toEqual([false, true, true]);
  });
});
