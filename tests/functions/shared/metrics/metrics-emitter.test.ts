import type { Kafka, KafkaMessage, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, InfrastructureError, ValidationError } from '../../../../functions/shared/errors.js';
import { MetricsEmitter, droppedMetricName } from '../../../../functions/shared/metrics/metrics-emitter.js';
import { parseMetricRecord } from '../../../../functions/shared/metrics/parse-metric-record.js';
import { kafkaClient, startTestBroker, type TestBroker } from '../../../helpers/broker.js';

const fixedNow = () => new Date('2024-05-01T12:00:00.000Z');

describe('MetricsEmitter against the local MSK', () => {
  let broker: TestBroker;
  let kafka: Kafka;
  let producer: Producer;

  beforeAll(async () => {
    broker = await startTestBroker();
    kafka = kafkaClient(broker);
    producer = kafka.producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await broker?.close();
  });

  async function readAll(topic: string, count: number): Promise<KafkaMessage[]> {
    const consumer = kafka.consumer({ groupId: `read-${topic}` });
    const messages: KafkaMessage[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ message }) => {
            messages.push(message);
            if (messages.length === count) resolve();
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
    return messages;
  }

  async function recordCount(topic: string): Promise<number> {
    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    return offsets.reduce((sum, partition) => sum + Number(partition.high), 0);
  }

  it('sends one record per flush, keyed by componentId, that parseMetricRecord accepts', async () => {
    // Prepare
    const topic = 'metrics-emitter-flush';
    const emitter = new MetricsEmitter({ producer, topic, componentType: 'detector', componentId: 'detector-1', experimentId: 'exp-42', now: fixedNow });
    emitter.recordMetric('batch.latency_ms', 41.5, 'Milliseconds');
    emitter.recordMetric('records.processed', 250, 'Count');
    emitter.recordMetric('anomalies.found', 3);

    // Act
    const sent = await emitter.flush();
    emitter.recordMetric('batch.latency_ms', 12, 'Milliseconds');
    const second = await emitter.flush();
    const nothing = await emitter.flush();
    const messages = await readAll(topic, 2);

    // Assess
    expect(nothing).toBeNull();
    expect(await recordCount(topic)).toBe(2);
    expect(messages.map((message) => message.key?.toString())).toEqual(['detector-1', 'detector-1']);
    expect(messages[0]!.headers?.['content-type']?.toString()).toBe('application/json');
    const [first, last] = messages.map((message) => parseMetricRecord(message.value!));
    expect(first).toEqual(sent);
    expect(first).toEqual({
      experimentId: 'exp-42',
      componentType: 'detector',
      componentId: 'detector-1',
      metrics: [
        { name: 'batch.latency_ms', value: 41.5, unit: 'Milliseconds' },
        { name: 'records.processed', value: 250, unit: 'Count' },
        { name: 'anomalies.found', value: 3 },
      ],
      ts: '2024-05-01T12:00:00.000Z',
    });
    expect(last).toEqual(second);
    expect(emitter.pendingCount).toBe(0);
  });

  it('keeps a flush to one record when too many metrics pile up, counting what it dropped', async () => {
    // Prepare
    const topic = 'metrics-emitter-overflow';
    const emitter = new MetricsEmitter({ producer, topic, componentType: 'producer', componentId: 'producer-1', experimentId: null, now: fixedNow });
    for (let index = 0; index < 150; index += 1) emitter.recordMetric(`gauge.${index}`, index);

    // Act
    const sent = await emitter.flush();
    const [message] = await readAll(topic, 1);

    // Assess
    expect(await recordCount(topic)).toBe(1);
    const record = parseMetricRecord(message!.value!);
    expect(record).toEqual(sent);
    expect(record.metrics).toHaveLength(100);
    expect(record.metrics.at(-1)).toEqual({ name: droppedMetricName, value: 51, unit: 'Count' });
  });

  it('keeps one value per metric name in a flush: a name recorded again replaces the earlier value', async () => {
    // Prepare
    const topic = 'metrics-emitter-repeat';
    const emitter = new MetricsEmitter({ producer, topic, componentType: 'custom', componentId: 'job-1', experimentId: null, now: fixedNow });
    emitter.recordMetric('queue_depth', 3);
    emitter.recordMetric('latency', 12, 'ms');
    emitter.recordMetric('queue_depth', 5);

    // Act
    await emitter.flush();
    const [message] = await readAll(topic, 1);

    // Assess: parseMetricRecord (and so the aggregator) accepts it, with the last value
    expect(parseMetricRecord(message!.value!).metrics).toEqual([
      { name: 'queue_depth', value: 5 },
      { name: 'latency', value: 12, unit: 'ms' },
    ]);
  });

  it('turns a failed send into an InfrastructureError and does not resend those metrics', async () => {
    // Prepare
    const closed = kafka.producer();
    await closed.connect();
    await closed.disconnect();
    const emitter = new MetricsEmitter({ producer: closed, topic: 'metrics-emitter-failure', componentType: 'custom', componentId: 'bench', experimentId: null });
    emitter.recordMetric('probe', 1);

    // Act
    const error = await emitter.flush().catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(InfrastructureError);
    expect((error as Error).message).toBe('sending 1 metrics to topic metrics-emitter-failure failed; they are dropped');
    expect(emitter.pendingCount).toBe(0);
    expect(await emitter.flush()).toBeNull();
  });
});

describe('MetricsEmitter input checks', () => {
  const producer = { send: async () => [] };
  const emitter = () => new MetricsEmitter({ producer, topic: 'metrics', componentType: 'detector', componentId: 'd', experimentId: null });

  it.each([
    ['a name starting with a digit', () => emitter().recordMetric('1st', 1), 'metric name "1st" must start with a letter'],
    ['a name with a newline', () => emitter().recordMetric('a\nb', 1), 'metric name "a\\nb" must start with a letter'],
    ['NaN', () => emitter().recordMetric('latency', Number.NaN), 'metric latency has value NaN; metric values must be finite numbers'],
    ['Infinity', () => emitter().recordMetric('latency', Number.POSITIVE_INFINITY), 'metric latency has value Infinity'],
    ['a unit with markup', () => emitter().recordMetric('latency', 1, '<b>ms</b>'), 'metric latency has unit "<b>ms</b>"'],
  ])('refuses %s with a ValidationError', (_label, act, message) => {
    // Act / Assess
    expect(act).toThrow(ValidationError);
    expect(act).toThrow(message);
  });

  it('refuses ids that the metric record schema would refuse', () => {
    // Act / Assess
    expect(() => new MetricsEmitter({ producer, topic: 'metrics', componentType: 'detector', componentId: 'a b', experimentId: null })).toThrow(ConfigError);
    expect(() => new MetricsEmitter({ producer, topic: 'metrics', componentType: 'detector', componentId: 'd', experimentId: 'x'.repeat(129) })).toThrow(ConfigError);
  });
});
