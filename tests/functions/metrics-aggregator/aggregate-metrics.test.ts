import type { Kafka, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetricsAggregator } from '../../../functions/metrics-aggregator/index.js';
import { ValidationError } from '../../../functions/shared/errors.js';
import { MetricsEmitter } from '../../../functions/shared/metrics/index.js';
import { kafkaClient, startTestBroker, type TestBroker } from '../../helpers/broker.js';
import { mskEvent } from '../../helpers/kafka-events.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';
import { readTopicRecords } from '../../helpers/topic-records.js';

interface MetricRow {
  experiment_id: string | null;
  component_type: string;
  component_id: string;
  metric_name: string;
  metric_value: number;
  unit: string | null;
  timestamp: Date;
  source_topic: string;
  source_partition: number;
  source_offset: string;
}

describe('metrics aggregator: metric records from the local MSK into PostgreSQL', () => {
  let broker: TestBroker;
  let kafka: Kafka;
  let producer: Producer;
  let db: TestDatabase;

  beforeAll(async () => {
    [broker, db] = await Promise.all([startTestBroker(), createTestDatabase()]);
    kafka = kafkaClient(broker);
    producer = kafka.producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await broker?.close();
    await db?.drop();
  });

  function aggregator() {
    const lines: Record<string, unknown>[] = [];
    const instance = createMetricsAggregator({ db: db.pool, lag: null, experimentId: null, log: (line) => lines.push(line) });
    return { instance, lines };
  }

  async function metricRows(topic: string): Promise<MetricRow[]> {
    const result = await db.pool.query<MetricRow>(
      `SELECT experiment_id, component_type, component_id, metric_name, metric_value, unit, "timestamp",
              source_topic, source_partition, source_offset
       FROM performance_metrics WHERE source_topic = $1 ORDER BY source_partition, source_offset, metric_name`,
      [topic],
    );
    return result.rows;
  }

  it('stores every metric of every record with its Kafka coordinates; a redelivered batch adds nothing', async () => {
    // Prepare: three metric records sent by the real emitter
    const topic = 'metrics-rows';
    const at = (iso: string) => () => new Date(iso);
    const fromProducer = new MetricsEmitter({ producer, topic, componentType: 'producer', componentId: 'producer-1', experimentId: 'exp-7', now: at('2024-05-01T12:00:00.000Z') });
    const fromDetector = new MetricsEmitter({ producer, topic, componentType: 'detector', componentId: 'detector-1', experimentId: 'exp-7', now: at('2024-05-01T12:00:05.250Z') });
    fromProducer.recordMetric('records_sent', 400, 'records');
    fromProducer.recordMetric('throughput', 123.5, 'records/s');
    await fromProducer.flush();
    fromDetector.recordMetric('batch.latency_ms', 41.5, 'Milliseconds');
    fromDetector.recordMetric('anomalies.found', 3);
    await fromDetector.flush();
    fromDetector.recordMetric('batch.latency_ms', 12, 'Milliseconds');
    await fromDetector.flush();
    const records = await readTopicRecords(kafka, topic, 3);
    const event = mskEvent(records);
    const { instance, lines } = aggregator();

    // Act
    const first = await instance.handle(event, { requestId: 'req-1' });
    const second = await instance.handle(event, { requestId: 'req-2' });

    // Assess: the summaries and one log line per batch
    expect(first).toEqual({ records: 3, metricsStored: 5, duplicates: 0, deadLetters: 0, lagSamples: 0, lagDuplicates: 0, skipped: 0 });
    expect(second).toEqual({ records: 3, metricsStored: 0, duplicates: 5, deadLetters: 0, lagSamples: 0, lagDuplicates: 0, skipped: 0 });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 'INFO', message: 'metrics batch', requestId: 'req-1', metricsStored: 5, lag: 'off' });

    // Assess: the rows, each pointing at the record it came from
    const rows = await metricRows(topic);
    expect(rows).toHaveLength(5);
    const producerRecord = records.find((record) => record.key?.toString() === 'producer-1')!;
    expect(rows.filter((row) => row.component_id === 'producer-1')).toEqual([
      {
        experiment_id: 'exp-7', component_type: 'producer', component_id: 'producer-1', metric_name: 'records_sent', metric_value: 400,
        unit: 'records', timestamp: new Date('2024-05-01T12:00:00.000Z'), source_topic: topic, source_partition: producerRecord.partition,
        source_offset: String(producerRecord.offset),
      },
      {
        experiment_id: 'exp-7', component_type: 'producer', component_id: 'producer-1', metric_name: 'throughput', metric_value: 123.5,
        unit: 'records/s', timestamp: new Date('2024-05-01T12:00:00.000Z'), source_topic: topic, source_partition: producerRecord.partition,
        source_offset: String(producerRecord.offset),
      },
    ]);
    const latencies = rows.filter((row) => row.metric_name === 'batch.latency_ms');
    expect(latencies.map((row) => row.metric_value).sort()).toEqual([12, 41.5]);
    expect(new Set(latencies.map((row) => row.source_offset)).size).toBe(2);
    expect(rows.find((row) => row.metric_name === 'anomalies.found')).toMatchObject({ metric_value: 3, unit: null, component_type: 'detector' });
  });

  it('a batch overlapping an earlier one stores only its new records', async () => {
    // Prepare
    const topic = 'metrics-overlap';
    const emitter = new MetricsEmitter({ producer, topic, componentType: 'custom', componentId: 'job-1', experimentId: null });
    for (const value of [1, 2, 3]) {
      emitter.recordMetric('progress', value, '%');
      await emitter.flush();
    }
    const records = await readTopicRecords(kafka, topic, 3);
    const { instance } = aggregator();
    await instance.handle(mskEvent(records.slice(0, 2)));

    // Act
    const summary = await instance.handle(mskEvent(records));

    // Assess
    expect(summary).toMatchObject({ records: 3, metricsStored: 1, duplicates: 2 });
    const rows = await metricRows(topic);
    expect(rows.map((row) => row.metric_value)).toEqual([1, 2, 3]);
    expect(rows.every((row) => row.experiment_id === null && row.component_type === 'custom')).toBe(true);
  });

  it('poison records become dead letters with their bytes and a reason; the rest of the batch is stored', async () => {
    // Prepare: one good record and seven bad ones on one partition of the real topic
    const topic = 'metrics-poison';
    const good = new MetricsEmitter({ producer, topic, componentType: 'detector', componentId: 'detector-2', experimentId: 'exp-9' });
    good.recordMetric('records.processed', 250, 'Count');
    await good.flush();
    const valid = (overrides: object) =>
      JSON.stringify({ experimentId: null, componentType: 'custom', componentId: 'c-1', metrics: [{ name: 'm', value: 1 }], ts: '2024-05-01T12:00:00Z', ...overrides });
    const oversize = Buffer.alloc(60_000, 0x7b); // "{{{…": not JSON, above the 16 KiB kept
    const poison: { value: Buffer | string | null; reason: RegExp }[] = [
      { value: 'not json at all', reason: /^metric record is not JSON$/ },
      { value: Buffer.from([0xff, 0xfe, 0x00, 0x41]), reason: /not valid UTF-8/ },
      { value: '{"componentType":"detector"}', reason: /metric record is invalid: experimentId/ },
      { value: null, reason: /no value \(a tombstone\)/ },
      { value: valid({ metrics: [{ name: 'm', value: 1 }, { name: 'm', value: 2 }] }), reason: /metric name "m" appears 2 times/ },
      { value: valid({ ts: '0000-06-01T00:00:00Z' }), reason: /ts is not a date-time between the years 1 and 9999/ },
      { value: oversize, reason: /not JSON \(raw value cut to 16384 of 60000 bytes\)/ },
    ];
    await producer.send({
      topic,
      messages: poison.map(({ value }) => ({ key: 'p', value, partition: 0, headers: { 'x-test': 'poison\u0000header' } })),
    });
    const records = await readTopicRecords(kafka, topic, 1 + poison.length);
    const event = mskEvent(records);
    // Two records the event itself mangles: a value that is not base64 (coordinates known) and one without an offset.
    (event.records[`${topic}-2`] ??= []).push(
      { topic, partition: 2, offset: 900, timestamp: Date.UTC(2024, 4, 1), timestampType: 'CREATE_TIME', value: '%%% not base64 %%%', headers: [] },
      { topic, partition: 2, timestamp: Date.UTC(2024, 4, 1), timestampType: 'CREATE_TIME', value: 'e30=', headers: [] } as never,
    );
    const { instance, lines } = aggregator();

    // Act
    const summary = await instance.handle(event);
    const again = await instance.handle(event);

    // Assess: counts
    expect(summary).toEqual({ records: 10, metricsStored: 1, duplicates: 0, deadLetters: 8, lagSamples: 0, lagDuplicates: 0, skipped: 1 });
    expect(again).toMatchObject({ metricsStored: 0, duplicates: 1, deadLetters: 8, skipped: 1 });
    expect((await metricRows(topic)).map((row) => row.metric_name)).toEqual(['records.processed']);

    // Assess: each dead letter holds its record's coordinates, bytes and reason, once
    const letters = await db.pool.query<{ partition: number; kafka_offset: string; raw_key: Buffer | null; raw_value: Buffer | null; headers: unknown; reason: string; component: string }>(
      `SELECT partition, kafka_offset, raw_key, raw_value, headers, reason, component FROM dead_letters WHERE topic = $1 ORDER BY partition, kafka_offset`,
      [topic],
    );
    expect(letters.rows).toHaveLength(8);
    expect(letters.rows.every((row) => row.component === 'metrics-aggregator')).toBe(true);
    const fromKafka = records.filter((record) => record.key?.toString() === 'p');
    for (const [i, { value, reason }] of poison.entries()) {
      const row = letters.rows.find((letter) => letter.partition === fromKafka[i]!.partition && Number(letter.kafka_offset) === fromKafka[i]!.offset)!;
      expect(row.reason).toMatch(reason);
      expect(row.raw_key).toEqual(Buffer.from('p'));
      const bytes = value === null ? null : Buffer.from(value);
      expect(row.raw_value).toEqual(bytes === null ? null : bytes.subarray(0, 16 * 1024));
      expect(row.headers).toEqual([{ key: 'x-test', valueBase64: Buffer.from('poison\u0000header').toString('base64') }]);
    }
    const mangled = letters.rows.find((row) => row.partition === 2)!;
    expect(mangled).toMatchObject({ kafka_offset: '900', raw_key: null });
    expect(mangled.reason).toMatch(/^undecodable Kafka record: record value is not valid base64; raw_value holds the record as it arrived/);
    expect(JSON.parse(mangled.raw_value!.toString('utf8'))).toMatchObject({ offset: 900, value: '%%% not base64 %%%' });

    // Assess: the log line names the first problems without quoting payloads
    expect(lines[0]).toMatchObject({ deadLetters: 8, skipped: 1 });
    const problems = lines[0]!.problems as string[];
    expect(problems).toHaveLength(5);
    expect(problems.join('\n')).not.toContain('not json at all');
  });

  it('an event that is not an MSK event is refused as a whole with a ValidationError, and logged', async () => {
    // Prepare
    const { instance, lines } = aggregator();

    // Act
    const failures = await Promise.all(
      [null, 'text', { eventSource: 'aws:sqs', records: {} }, { eventSource: 'SelfManagedKafka' }].map((event) => instance.handle(event).catch((error: unknown) => error)),
    );

    // Assess
    for (const failure of failures) expect(failure).toBeInstanceOf(ValidationError);
    expect(lines.map((line) => [line.level, line.stage])).toEqual(Array(4).fill(['ERROR', 'parse']));
  });

  it('an empty batch stores nothing and still reports', async () => {
    // Prepare
    const { instance, lines } = aggregator();

    // Act
    const summary = await instance.handle(mskEvent([]));

    // Assess
    expect(summary).toEqual({ records: 0, metricsStored: 0, duplicates: 0, deadLetters: 0, lagSamples: 0, lagDuplicates: 0, skipped: 0 });
    expect(lines).toHaveLength(1);
  });
});
