/**
 * Reused Kafka coordinates never hide a new record. After a topic is recreated or a broker loses
 * its log, Kafka hands out offsets it handed out before, to NEW records. The detector tells them
 * from redeliveries by each record's fingerprint (key, value, timestamp): a redelivery stays a
 * duplicate; a new record at stored coordinates is dead-lettered "offset reused" with its bytes,
 * counted in the offset_reused metric, and leaves the stream's learned state alone.
 */
import type { Producer } from 'kafkajs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { KafkaRecordInput } from '../../../functions/shared/kafka/index.js';
import { LABEL_HEADER, type LogRecord } from '../../../functions/shared/log/index.js';
import { MetricsEmitter, parseMetricRecord, type MetricRecord } from '../../../functions/shared/metrics/index.js';
import { kafkaClient, startTestBroker, type TestBroker } from '../../helpers/broker.js';
import { loadEventFixture, mskEvent } from '../../helpers/kafka-events.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';
import { startTestS3, type TestS3 } from '../../helpers/s3.js';
import { BASE_MS, MODEL_BUCKET, MemoryDetectorLogger, generatedBatch, logRecordInputs, obviousAnomalies, tableCounts, testDetector, truncateDetectorTables } from './detector-kit.js';

const METRICS_TOPIC = 'metrics';
/** Produce time of the second generation of records: a day after the first (a recreated topic). */
const LATER_MS = BASE_MS + 86_400_000;

let db: TestDatabase;
let s3: TestS3;
let broker: TestBroker;
let producer: Producer;
let logger: MemoryDetectorLogger;

beforeAll(async () => {
  [db, s3, broker] = await Promise.all([createTestDatabase(), startTestS3([MODEL_BUCKET]), startTestBroker()]);
  producer = kafkaClient(broker).producer();
  await producer.connect();
});
afterAll(async () => {
  await producer?.disconnect();
  await Promise.all([db?.drop(), s3?.stop(), broker?.close()]);
});
beforeEach(async () => {
  await truncateDetectorTables(db.pool);
  logger = new MemoryDetectorLogger();
});

/** `count` log records of one generation: `tag` makes every id and message its own. */
function generation(tag: string, count: number): LogRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${tag}-${i}`,
    ts: new Date(BASE_MS + i * 1_000).toISOString(),
    service: 'checkout',
    level: 'INFO' as const,
    message: `${tag}: order ${1000 + i} paid in ${20 + i}ms`,
    host: 'web-1',
  }));
}

/** A detector with no model (records are stored unflagged), logging into `logger`. */
function detectorWithoutModel(emitter: MetricsEmitter | null = null) {
  return testDetector({ pool: db.pool, s3: s3.client, prefix: 'reuse/no-model/', logger, emitter });
}

async function storedMessages(): Promise<Array<{ offset: number; message: string; fingerprint: string | null }>> {
  const result = await db.pool.query('SELECT kafka_offset::int AS offset, message, fingerprint::text FROM logs ORDER BY kafka_offset');
  return result.rows;
}

async function deadLettersStored() {
  const result = await db.pool.query(
    `SELECT partition, kafka_offset::int AS offset, raw_key, raw_value, headers, reason, component
     FROM dead_letters ORDER BY partition, kafka_offset`,
  );
  return result.rows;
}

/** The first `count` records of the metrics topic, read from the beginning by a new group. */
async function readMetricRecords(count: number): Promise<MetricRecord[]> {
  const consumer = kafkaClient(broker).consumer({ groupId: `offset-reuse-metrics-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic: METRICS_TOPIC, fromBeginning: true });
  const records: MetricRecord[] = [];
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        records.push(parseMetricRecord(message.value!));
        if (records.length >= count) resolve();
      },
    });
  });
  await consumer.disconnect();
  return records;
}

function metricsOf(record: MetricRecord | undefined): Record<string, number> {
  return Object.fromEntries((record?.metrics ?? []).map((metric) => [metric.name, metric.value]));
}

describe('detector: reused Kafka coordinates never hide a new record', () => {
  it('keeps a redelivered record (same coordinates, same bytes) a duplicate, as before', async () => {
    // Prepare
    const detector = detectorWithoutModel();
    const records = logRecordInputs(generation('first', 5), { partition: 0, firstOffset: 0 });
    await detector.handle(mskEvent(records));

    // Act
    const summary = await detector.handle(mskEvent(records));

    // Assess
    expect(summary).toEqual({ records: 5, stored: 0, duplicates: 5, anomalies: 0, deadLetters: 0, modelVersion: null });
    expect(await tableCounts(db.pool)).toEqual({ logs: 5, anomalies: 0, deadLetters: 0, models: 0 });
    // Every stored row carries its record's fingerprint, and records differ in theirs.
    const fingerprints = (await storedMessages()).map((row) => row.fingerprint);
    expect(fingerprints.every((fingerprint) => fingerprint !== null && /^\d+$/.test(fingerprint))).toBe(true);
    expect(new Set(fingerprints).size).toBe(5);
  });

  it('dead-letters a new record at stored coordinates as "offset reused", whole, counted in the offset_reused metric; its redelivery is a duplicate', async () => {
    // Prepare: the first generation stored; the topic "recreated": new records from offset 0 again
    const emitter = new MetricsEmitter({ producer, topic: METRICS_TOPIC, componentType: 'detector', componentId: 'detector-reuse', experimentId: null });
    const detector = detectorWithoutModel(emitter);
    await detector.handle(mskEvent(logRecordInputs(generation('first', 4), { partition: 0, firstOffset: 0 })));
    const second = logRecordInputs(generation('second', 4), { partition: 0, firstOffset: 0, firstTimestamp: LATER_MS });

    // Act
    const summary = await detector.handle(mskEvent(second));
    const redelivered = await detector.handle(mskEvent(second));
    const [, reusedMetrics, redeliveredMetrics] = await readMetricRecords(3);

    // Assess: nothing dropped — the new records are dead letters, the stored logs untouched
    expect(summary).toEqual({ records: 4, stored: 0, duplicates: 0, anomalies: 0, deadLetters: 4, offsetReused: 4, modelVersion: null });
    expect(redelivered).toEqual({ records: 4, stored: 0, duplicates: 4, anomalies: 0, deadLetters: 0, modelVersion: null });
    expect((await storedMessages()).map((row) => row.message)).toEqual(generation('first', 4).map((record) => record.message));
    const letters = await deadLettersStored();
    expect(letters).toEqual(
      second.map((record) => ({
        partition: 0,
        offset: record.offset,
        raw_key: Buffer.from(record.key as string),
        raw_value: Buffer.from(record.value as string),
        headers: [{ key: LABEL_HEADER, valueBase64: Buffer.from('none').toString('base64') }],
        reason: 'offset reused',
        component: 'detector',
      })),
    );
    // Assess: the metric, and a warning naming the partition
    expect(metricsOf(reusedMetrics)).toMatchObject({ batch_size: 4, records_stored: 0, dead_letters: 4, offset_reused: 4, duplicates_skipped: 0 });
    expect(metricsOf(redeliveredMetrics)).toMatchObject({ dead_letters: 0, offset_reused: 0, duplicates_skipped: 4 });
    expect(logger.lines.filter((line) => line.level === 'warn')).toEqual([
      expect.objectContaining({ message: expect.stringContaining('offset reused'), fields: { offsetReused: 4, partitions: ['logs-0'] } }),
    ]);
  });

  it('sorts a mixed batch record by record: redeliveries skipped, new records at stored offsets dead-lettered, new offsets stored', async () => {
    // Prepare: offsets 0–5 stored
    const detector = detectorWithoutModel();
    const first = logRecordInputs(generation('first', 6), { partition: 0, firstOffset: 0 });
    await detector.handle(mskEvent(first));
    const sameValueSentAgain = first.slice(2, 4).map((record): KafkaRecordInput => ({ ...record, timestamp: LATER_MS + record.offset }));
    const newAtStoredOffsets = logRecordInputs(generation('second', 2), { partition: 0, firstOffset: 4, firstTimestamp: LATER_MS });
    const newOffsets = logRecordInputs(generation('third', 2), { partition: 0, firstOffset: 6, firstTimestamp: LATER_MS });

    // Act: 0–1 redelivered; 2–3 the same values produced again (new timestamps); 4–5 new records; 6–7 new offsets
    const summary = await detector.handle(mskEvent([...first.slice(0, 2), ...sameValueSentAgain, ...newAtStoredOffsets, ...newOffsets]));

    // Assess
    expect(summary).toEqual({ records: 8, stored: 2, duplicates: 2, anomalies: 0, deadLetters: 4, offsetReused: 4, modelVersion: null });
    expect((await storedMessages()).map((row) => row.offset)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect((await deadLettersStored()).map((letter) => [letter.offset, letter.reason])).toEqual([2, 3, 4, 5].map((offset) => [offset, 'offset reused']));
  });

  it('answers the msk-event fixture with dead letters, not duplicates, where the producer already used its offsets (README)', async () => {
    // Prepare: the producer's own records at six of the fixture's seven coordinates (all but logs-2@9)
    const detector = detectorWithoutModel();
    const used = [
      ...logRecordInputs(generation('producer-0', 3), { partition: 0, firstOffset: 41 }),
      ...logRecordInputs(generation('producer-1', 2), { partition: 1, firstOffset: 17 }),
      ...logRecordInputs(generation('producer-2', 1), { partition: 2, firstOffset: 8 }),
    ];
    await detector.handle(mskEvent(used));

    // Act
    const summary = await detector.handle(loadEventFixture('msk-event'));
    const again = await detector.handle(loadEventFixture('msk-event'));

    // Assess
    expect(summary).toEqual({ records: 7, stored: 1, duplicates: 0, anomalies: 0, deadLetters: 6, offsetReused: 6, modelVersion: null });
    expect(again).toEqual({ records: 7, stored: 0, duplicates: 7, anomalies: 0, deadLetters: 0, modelVersion: null });
  });
});

describe('detector: reused coordinates and the stream state', () => {
  /** A detector with a model trained on partition 0's first 200 records, the stream scored up to offset 249. */
  async function detectorWithModel(prefix: string) {
    const detector = testDetector({ pool: db.pool, s3: s3.client, prefix, logger });
    const training = await detector.handle(mskEvent(generatedBatch({ count: 200, partition: 0, firstOffset: 0, seed: 31 }).inputs));
    expect(training.trained, logger.text()).toBeDefined();
    const scored = await detector.handle(mskEvent(generatedBatch({ count: 50, partition: 0, firstOffset: 200, seed: 32, startIndex: 200 }).inputs));
    expect(scored).toMatchObject({ stored: 50, modelVersion: training.trained });
    return detector;
  }

  async function streamRow() {
    const result = await db.pool.query("SELECT next_offset::int AS next, revision::int, model_version, state::text, updated_at FROM detector_streams WHERE stream_key = 'logs-0'");
    return result.rows[0];
  }

  it('leaves the learned state as it was when every record of a stream is dead-lettered "offset reused"', async () => {
    // Prepare
    const detector = await detectorWithModel('reuse/state-kept/');
    const before = await streamRow();
    const counts = await tableCounts(db.pool);

    // Act: new records, obvious anomalies among them, at offsets the stream already stored
    const summary = await detector.handle(mskEvent(logRecordInputs(obviousAnomalies(5), { partition: 0, firstOffset: 100, firstTimestamp: LATER_MS })));

    // Assess: dead-lettered, neither scored nor learned; no anomaly landed on the stored rows
    expect(summary).toMatchObject({ records: 5, stored: 0, duplicates: 0, anomalies: 0, deadLetters: 5, offsetReused: 5 });
    expect(before).toMatchObject({ next: 250 });
    expect(await streamRow()).toEqual(before);
    expect(await tableCounts(db.pool)).toEqual({ ...counts, deadLetters: counts.deadLetters + 5 });
  });

  it('learns and flags a new record below the stream\'s next offset whose coordinates hold nothing any more', async () => {
    // Prepare: the stored rows at offsets 100–104 deleted (as retention would), then the topic recreated
    const detector = await detectorWithModel('reuse/trimmed/');
    await db.pool.query("DELETE FROM logs WHERE topic = 'logs' AND partition = 0 AND kafka_offset BETWEEN 100 AND 104");
    const before = await streamRow();

    // Act
    const summary = await detector.handle(mskEvent(logRecordInputs(obviousAnomalies(5), { partition: 0, firstOffset: 100, firstTimestamp: LATER_MS })));

    // Assess: stored and scored as new records (flagged), the state moved on one revision
    expect(summary).toMatchObject({ records: 5, stored: 5, duplicates: 0, deadLetters: 0 });
    expect(summary.anomalies).toBeGreaterThan(0);
    const after = await streamRow();
    expect(after).toMatchObject({ next: before.next, revision: before.revision + 1 });
  });
});
