import { createServer } from 'node:net';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordBatchMetrics } from '../../../functions/detector/batch-metrics.js';
import { MetricsEmitter, parseMetricRecord, summarizeLatencies, type MetricRecord } from '../../../functions/shared/metrics/index.js';
import { kafkaClient, startTestBroker, type TestBroker } from '../../helpers/broker.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { loadEventFixture } from '../../helpers/kafka-events.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';
import { startTestS3, type TestS3 } from '../../helpers/s3.js';
import { MODEL_BUCKET, MemoryDetectorLogger, testDetector } from './detector-kit.js';

const METRICS_TOPIC = 'metrics';
/** Produce time of the fixtures' first records. */
const FIXTURE_MS = 1714564800000;
/** The detector's (fake) clock: every batch commits 5 s after the fixtures' first produce time. */
const COMMIT_MS = FIXTURE_MS + 5_000;

let db: TestDatabase;
let s3: TestS3;
let broker: TestBroker;
let producer: Producer;

beforeAll(async () => {
  [db, s3, broker] = await Promise.all([createTestDatabase(), startTestS3([MODEL_BUCKET]), startTestBroker()]);
  producer = kafkaClient(broker).producer();
  await producer.connect();
});
afterAll(async () => {
  await producer?.disconnect();
  await Promise.all([db?.drop(), s3?.stop(), broker?.close()]);
});

function detectorEmitter(): MetricsEmitter {
  return new MetricsEmitter({ producer, topic: METRICS_TOPIC, componentType: 'detector', componentId: 'detector-fn-1', experimentId: 'exp-metrics' });
}

/** Reads the first `count` records of the metrics topic. */
async function readMetricRecords(count: number): Promise<MetricRecord[]> {
  const consumer = kafkaClient(broker).consumer({ groupId: `metrics-reader-${Date.now()}` });
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

function valueOf(record: MetricRecord, name: string): number | undefined {
  return record.metrics.find((metric) => metric.name === name)?.value;
}

/** Kafka timestamps of a fixture's records. */
function fixtureTimestamps(name: 'msk-event'): number[] {
  const event = loadEventFixture(name) as { records: Record<string, Array<{ timestamp: number }>> };
  return Object.values(event.records).flat().map((record) => record.timestamp);
}

describe('detector: consumer metrics on the metrics topic', () => {
  it('sends one detector metric record per batch: size, throughput, end-to-end latency, anomalies, dead letters, duplicates', async () => {
    // Prepare
    const detector = testDetector({ pool: db.pool, s3: s3.client, prefix: 'metrics/models/', emitter: detectorEmitter(), clock: new FakeClock(COMMIT_MS) });

    // Act: a batch, its redelivery, and a poison batch
    await detector.handle(loadEventFixture('msk-event'));
    await detector.handle(loadEventFixture('msk-event'));
    await detector.handle(loadEventFixture('msk-event-poison'));
    const [first, redelivered, poison] = await readMetricRecords(3);

    // Assess: who sent it
    expect(first).toMatchObject({ componentType: 'detector', componentId: 'detector-fn-1', experimentId: 'exp-metrics' });
    // Assess: the first batch
    const latency = summarizeLatencies(fixtureTimestamps('msk-event').map((ts) => COMMIT_MS - ts))!;
    expect(Object.fromEntries(first!.metrics.map((metric) => [metric.name, metric.value]))).toMatchObject({
      batch_size: 7,
      records_stored: 7,
      duplicates_skipped: 0,
      dead_letters: 0,
      anomalies_detected: 0,
      anomaly_rate: 0,
      e2e_latency_p50: latency.p50,
      e2e_latency_p95: latency.p95,
      e2e_latency_p99: latency.p99,
      e2e_latency_max: latency.max,
    });
    expect(valueOf(first!, 'throughput')).toBeGreaterThan(0);
    expect(first!.metrics.find((metric) => metric.name === 'e2e_latency_p95')?.unit).toBe('ms');
    expect(first!.metrics.find((metric) => metric.name === 'throughput')?.unit).toBe('records/s');
    // Assess: the redelivery and the poison batch
    expect([valueOf(redelivered!, 'records_stored'), valueOf(redelivered!, 'duplicates_skipped')]).toEqual([0, 7]);
    expect([valueOf(poison!, 'batch_size'), valueOf(poison!, 'records_stored'), valueOf(poison!, 'dead_letters'), valueOf(poison!, 'unaddressable_records')]).toEqual([12, 3, 8, 1]);
  });

  it('computes the anomaly rate as flagged / scored', async () => {
    // Prepare
    const emitter = detectorEmitter();

    // Act
    recordBatchMetrics(emitter, { records: 50, stored: 40, duplicates: 5, deadLetters: 5, offsetReused: 0, unaddressable: 0, scored: 40, flagged: 4, elapsedMs: 500, endToEndLatenciesMs: [] });
    const sent = (await emitter.flush())!;

    // Assess
    expect(valueOf(sent, 'anomaly_rate')).toBe(0.1);
    expect(valueOf(sent, 'anomalies_detected')).toBe(4);
    expect(valueOf(sent, 'throughput')).toBe(100);
    expect(sent.metrics.some((metric) => metric.name.startsWith('e2e_latency'))).toBe(false);
  });

  it('logs a failed metrics send and still stores and summarises the batch', async () => {
    // Prepare: a metrics producer whose broker is gone
    const deadPort = await closedPort();
    const unreachable = new Kafka({ clientId: 'detector-test', brokers: [`127.0.0.1:${deadPort}`], logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 500 }).producer();
    const emitter = new MetricsEmitter({
      producer: { send: async (record) => { await unreachable.connect(); return unreachable.send(record); } },
      topic: METRICS_TOPIC,
      componentType: 'detector',
      componentId: 'detector-fn-2',
      experimentId: null,
    });
    const logger = new MemoryDetectorLogger();
    const detector = testDetector({ pool: db.pool, s3: s3.client, prefix: 'metrics/models/', emitter, logger });

    // Act
    const summary = await detector.handle(loadEventFixture('self-managed-kafka-event'));

    // Assess
    expect(summary).toMatchObject({ records: 3, stored: 3 });
    expect(logger.lines.filter((line) => line.level === 'warn')).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/^detector metrics not sent/), fields: { error: expect.stringMatching(/^InfrastructureError: sending \d+ metrics to topic metrics failed/) } }),
    ]);
    await unreachable.disconnect().catch(() => undefined);
  });
});

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
