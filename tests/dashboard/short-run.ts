/**
 * A real short run for the dashboard tests: for each experiment the producer code writes generated
 * logs to its own topic on a local MSK broker, the detector (consuming through a consumer group,
 * committing after each batch like the event-source mapping) stores and scores them in PostgreSQL
 * with its model in S3, and the metrics aggregator stores the producer and detector metrics and
 * samples consumer lag. Two hostile log lines (markup in message and host) ride along.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { Kafka, Producer } from 'kafkajs';
import type pg from 'pg';
import { createMetricsAggregator } from '../../functions/metrics-aggregator/index.js';
import { createLogGenerator } from '../../functions/producer/generator/index.js';
import { runProducer } from '../../functions/producer/run-producer.js';
import { createExperiment, finishExperiment } from '../../functions/shared/db/index.js';
import { buildKafkaEvent, type KafkaRecordInput } from '../../functions/shared/kafka/index.js';
import { LABEL_HEADER, serializeLogRecord } from '../../functions/shared/log/index.js';
import { MetricsEmitter } from '../../functions/shared/metrics/index.js';
import { testDetector } from '../functions/detector/detector-kit.js';

export interface RunExperiment {
  readonly id: string;
  readonly name: string;
  readonly producers: number;
  readonly consumers: number;
  readonly partitions: number;
  readonly recordsPerProducer: number;
  readonly rate: number;
}

export const shortRunExperiments: readonly RunExperiment[] = [
  { id: 'exp-baseline-p1c1', name: 'baseline P1 C1', producers: 1, consumers: 1, partitions: 2, recordsPerProducer: 400, rate: 4000 },
  { id: 'exp-scaled-p2c2', name: 'scaled P2 C2', producers: 2, consumers: 2, partitions: 3, recordsPerProducer: 250, rate: 4000 },
];

/** Markup in attacker-controlled fields; the page must show these as text and run none of it. */
export const hostileMessage = '<script>window.__injected = "script"</script> checkout failed for <b>bold</b> user';
export const hostileHost = '<img src=x onerror="window.__injected = \'img\'">';

const systemClock = { now: () => Date.now(), sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)) };

export async function produceShortRun(options: { kafka: Kafka; pool: pg.Pool; s3: S3Client; bootstrap: string }): Promise<void> {
  const { kafka, pool } = options;
  const admin = kafka.admin();
  const producer = kafka.producer();
  await Promise.all([admin.connect(), producer.connect()]);
  try {
    await admin.createTopics({ topics: shortRunExperiments.flatMap((e) => [{ topic: topicOf(e), numPartitions: e.partitions }, { topic: metricsTopicOf(e), numPartitions: 1 }]) });
    for (const [index, experiment] of shortRunExperiments.entries()) {
      await createExperiment(pool, {
        id: experiment.id,
        name: experiment.name,
        producers: experiment.producers,
        consumers: experiment.consumers,
        partitions: experiment.partitions,
        settings: { rate: experiment.rate, recordsPerProducer: experiment.recordsPerProducer, anomalyRate: 0.08, batchSize: 60 },
      });
      await produce(producer, experiment, index);
      if (index === shortRunExperiments.length - 1) await produceHostileLines(producer, experiment);
      await detectAndAggregate(options, experiment, admin);
      await finishExperiment(pool, experiment.id, 'completed', null);
    }
  } finally {
    await Promise.all([admin.disconnect(), producer.disconnect()]);
  }
}

function topicOf(experiment: RunExperiment): string {
  return `logs-${experiment.id}`;
}

/** One metrics topic per experiment, so each aggregator reads its own experiment's metrics from the start. */
function metricsTopicOf(experiment: RunExperiment): string {
  return `metrics-${experiment.id}`;
}

async function produce(producer: Producer, experiment: RunExperiment, seed: number): Promise<void> {
  await Promise.all(
    Array.from({ length: experiment.producers }, async (_, p) => {
      const producerId = `${experiment.id}-producer-${p + 1}`;
      const emitter = new MetricsEmitter({ producer, topic: metricsTopicOf(experiment), componentType: 'producer', componentId: producerId, experimentId: experiment.id });
      await runProducer(
        { generator: createLogGenerator({ anomalyRate: 0.08, seed: seed * 100 + p, experimentId: experiment.id, producerId }), rate: experiment.rate, count: experiment.recordsPerProducer },
        { send: async (messages) => void (await producer.send({ topic: topicOf(experiment), acks: -1, messages })), clock: systemClock, remainingTimeMs: () => 900_000, emitter },
      );
    }),
  );
}

async function produceHostileLines(producer: Producer, experiment: RunExperiment): Promise<void> {
  const base = { ts: new Date().toISOString(), service: 'checkout-web', level: 'ERROR' as const, experimentId: experiment.id, producerId: 'hostile' };
  await producer.send({
    topic: topicOf(experiment),
    acks: -1,
    messages: [
      { key: 'checkout-web', value: serializeLogRecord({ ...base, id: 'hostile-1', message: hostileMessage, host: 'web-1' }), headers: { [LABEL_HEADER]: 'none' } },
      { key: 'checkout-web', value: serializeLogRecord({ ...base, id: 'hostile-2', message: 'payment widget crashed', host: hostileHost }), headers: { [LABEL_HEADER]: 'none' } },
    ],
  });
}

/**
 * Consumes the experiment's topic as its detector group until every record is stored (one MSK event
 * per fetched batch, committed after the detector returns), while the aggregator consumes the
 * metrics topic; ends after the aggregator has seen the detector's final marker metric.
 */
async function detectAndAggregate(options: { kafka: Kafka; pool: pg.Pool; s3: S3Client; bootstrap: string }, experiment: RunExperiment, admin: ReturnType<Kafka['admin']>): Promise<void> {
  const { kafka, pool } = options;
  const topic = topicOf(experiment);
  const groupId = `detector-${experiment.id}`;
  const total = (await admin.fetchTopicOffsets(topic)).reduce((sum, partition) => sum + Number(partition.high), 0);
  const metricsProducer = kafka.producer();
  await metricsProducer.connect();
  const detectorEmitter = new MetricsEmitter({ producer: metricsProducer, topic: metricsTopicOf(experiment), componentType: 'detector', componentId: `${experiment.id}-detector`, experimentId: experiment.id });
  const detector = testDetector({ pool, s3: options.s3, prefix: 'dashboard-run/', emitter: detectorEmitter });
  const aggregator = createMetricsAggregator({
    db: pool,
    experimentId: experiment.id,
    lag: { admin, topics: [topic], groups: [groupId], maxGroups: 5 },
    log: () => undefined,
  });
  const detectorConsumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, maxBytesPerPartition: 12_000 });
  const metricsConsumer = kafka.consumer({ groupId: `aggregator-${experiment.id}`, maxWaitTimeInMs: 100 });
  let stored = 0;
  let markerSeen: () => void = () => undefined;
  const aggregated = new Promise<void>((resolve) => (markerSeen = resolve));
  let detected: () => void = () => undefined;
  const allStored = new Promise<void>((resolve) => (detected = resolve));
  try {
    await Promise.all([detectorConsumer.connect(), metricsConsumer.connect()]);
    await detectorConsumer.subscribe({ topic, fromBeginning: true });
    await metricsConsumer.subscribe({ topic: metricsTopicOf(experiment), fromBeginning: true });
    await metricsConsumer.run({
      eachBatch: async ({ batch }) => {
        const records = batch.messages.map((message) => toInput(batch.topic, batch.partition, message));
        await aggregator.handle(buildKafkaEvent({ eventSource: 'SelfManagedKafka', bootstrapServers: [options.bootstrap] }, records));
        if (batch.messages.some((message) => message.value?.toString().includes('"run_complete"'))) markerSeen();
      },
    });
    await detectorConsumer.run({
      autoCommit: false,
      eachBatch: async ({ batch, resolveOffset }) => {
        const records = batch.messages.map((message) => toInput(batch.topic, batch.partition, message));
        const summary = await detector.handle(buildKafkaEvent({ eventSource: 'SelfManagedKafka', bootstrapServers: [options.bootstrap] }, records));
        const last = batch.messages[batch.messages.length - 1]!;
        resolveOffset(last.offset);
        await detectorConsumer.commitOffsets([{ topic, partition: batch.partition, offset: String(Number(last.offset) + 1) }]);
        stored += summary.stored + summary.duplicates;
        if (stored >= total) detected();
      },
    });
    await allStored;
    detectorEmitter.recordMetric('run_complete', 1, 'flag');
    await detectorEmitter.flush();
    await aggregated;
  } finally {
    await Promise.all([detectorConsumer.disconnect(), metricsConsumer.disconnect()]);
    await metricsProducer.disconnect();
  }
}

function toInput(topic: string, partition: number, message: { offset: string; timestamp: string; key: Buffer | null; value: Buffer | null; headers?: Record<string, unknown> }): KafkaRecordInput {
  const headers = Object.entries(message.headers ?? {}).flatMap(([key, value]) =>
    (Array.isArray(value) ? value : [value]).map((one) => ({ key, value: one === undefined || one === null ? null : Buffer.isBuffer(one) ? one : String(one) })),
  );
  return { topic, partition, offset: Number(message.offset), timestamp: Number(message.timestamp), key: message.key, value: message.value, headers };
}

