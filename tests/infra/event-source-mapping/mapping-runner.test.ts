import type { Kafka, Producer } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseKafkaEvent } from '../../../functions/shared/kafka/index.js';
import type { MappingRunner } from '../../../infra/event-source-mapping/mapping-runner.js';
import { kafkaClient, startTestBroker, type TestBroker } from '../../helpers/broker.js';
import { committedOffsets, recordingFunction, runnerFor, waitFor } from './runner-harness.js';

let broker: TestBroker;
let kafka: Kafka;
let producer: Producer;
const runners: MappingRunner[] = [];

beforeAll(async () => {
  broker = await startTestBroker({ initialRebalanceDelayMs: 0 });
  kafka = kafkaClient(broker);
  producer = kafka.producer();
  await producer.connect();
});

afterEach(async () => {
  for (const runner of runners.splice(0)) await runner.stop();
});

afterAll(async () => {
  await producer?.disconnect();
  await broker?.close();
});

async function createTopic(topic: string, numPartitions: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true });
  await admin.disconnect();
}

function started(runner: MappingRunner): MappingRunner {
  runners.push(runner);
  return runner;
}

describe('mapping runner against the local MSK', () => {
  it('honours batchSize and builds the exact aws:kafka payload, in per-partition order', async () => {
    // Prepare
    const topic = 'app-logs-v1';
    await createTopic(topic, 2);
    await producer.send({ topic, messages: Array.from({ length: 12 }, (_, i) => ({ partition: 0, key: `k${i}`, value: `p0-${i}`, headers: { trace: `t${i}`, tag: ['a', 'b'] } })) });
    await producer.send({ topic, messages: Array.from({ length: 4 }, (_, i) => ({ partition: 1, key: null, value: `p1-${i}` })) });
    const fn = recordingFunction();
    // Act
    await started(runnerFor({ broker, kafka, msk: { topic, batchSize: 5, maximumBatchingWindow: 0.05 }, invoke: fn.invoke })).start();
    await waitFor('16 records', () => fn.values().length >= 16);
    // Assess
    for (const payload of fn.payloads) {
      expect(Object.keys(payload).sort()).toEqual(['bootstrapServers', 'eventSource', 'eventSourceArn', 'records']);
      expect(payload).toMatchObject({ eventSource: 'aws:kafka', eventSourceArn: broker.clusterArn, bootstrapServers: broker.bootstrap });
      expect(parseKafkaEvent(payload).records.every((record) => record.ok)).toBe(true);
      expect(Object.values(payload.records).flat().length).toBeLessThanOrEqual(5);
    }
    const partition0 = fn.payloads.filter((payload) => 'app-logs-v1-0' in payload.records).map((payload) => payload.records['app-logs-v1-0']!);
    const first = partition0.flat()[1]!;
    expect(first).toEqual({
      topic,
      partition: 0,
      offset: 1,
      timestamp: expect.any(Number),
      timestampType: 'CREATE_TIME',
      key: Buffer.from('k1').toString('base64'),
      value: Buffer.from('p0-1').toString('base64'),
      headers: [{ trace: [...Buffer.from('t1')] }, { tag: [97] }, { tag: [98] }],
    });
    expect(partition0.flat().map((record) => record.offset)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    const partition1 = fn.payloads.flatMap((payload) => payload.records['app-logs-v1-1'] ?? []);
    expect(partition1.map((record) => [record.offset, record.key, record.partition])).toEqual([[0, undefined, 1], [1, undefined, 1], [2, undefined, 1], [3, undefined, 1]]);
    await waitFor('commits', async () => (await committedOffsets(kafka, 'esm-test-test-detector-app-logs-v1', topic)).join() === '12,4');
  });

  it('puts records of several partitions into one batch, keyed "<topic>-<partition>"', async () => {
    // Prepare
    const topic = 'mixed-partitions';
    await createTopic(topic, 2);
    await producer.send({ topic, messages: [0, 1, 0, 1].map((partition, i) => ({ partition, value: `m${i}` })) });
    const fn = recordingFunction();
    // Act: the batch is released by size (4), the window (60 s) never matters
    await started(runnerFor({ broker, kafka, msk: { topic, batchSize: 4, maximumBatchingWindow: 60, provisionedPollerConfig: { maximumPollers: 1 } }, invoke: fn.invoke })).start();
    await waitFor('4 records', () => fn.values().length >= 4);
    // Assess
    expect(fn.payloads).toHaveLength(1);
    const records = fn.payloads[0]!.records;
    expect(Object.keys(records).sort()).toEqual(['mixed-partitions-0', 'mixed-partitions-1']);
    expect(records['mixed-partitions-0']!.map((record) => [record.partition, record.offset])).toEqual([[0, 0], [0, 1]]);
    expect(records['mixed-partitions-1']!.map((record) => [record.partition, record.offset])).toEqual([[1, 0], [1, 1]]);
    await waitFor('both partitions committed', async () => (await committedOffsets(kafka, 'esm-test-test-detector-mixed-partitions', topic)).join() === '2,2');
  });

  it('delivers only records that pass filterPatterns and commits past the others', async () => {
    // Prepare
    const topic = 'filtered-logs';
    await createTopic(topic, 1);
    const values = [{ level: 'ERROR', n: 1 }, { level: 'INFO', n: 2 }, 'not json', { level: 'WARN', n: 7 }, { level: 'INFO', n: 9 }];
    await producer.send({ topic, messages: values.map((value) => ({ value: typeof value === 'string' ? value : JSON.stringify(value) })) });
    const fn = recordingFunction();
    const filterPatterns = [{ value: { level: ['ERROR', { prefix: 'WA' }] } }, { value: { n: [{ numeric: ['>', 8] }] } }];
    // Act
    await started(runnerFor({ broker, kafka, msk: { topic, batchSize: 10, maximumBatchingWindow: 0.05, filterPatterns }, invoke: fn.invoke })).start();
    const committedTotal = async () => (await committedOffsets(kafka, 'esm-test-test-detector-filtered-logs', topic)).reduce((sum, offset) => sum + Math.max(0, offset), 0);
    await waitFor('the commits past all 5 records', async () => (await committedTotal()) === 5);
    // Assess
    expect(fn.values().map((value) => JSON.parse(value).n).sort()).toEqual([1, 7, 9]);
  });

  it('releases a partial batch when the batching window expires', async () => {
    // Prepare
    const topic = 'windowed';
    await createTopic(topic, 1);
    const fn = recordingFunction();
    await started(runnerFor({ broker, kafka, msk: { topic, batchSize: 100, maximumBatchingWindow: 0.1 }, invoke: fn.invoke })).start();
    // Act
    await producer.send({ topic, messages: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] });
    await waitFor('a payload', () => fn.payloads.length > 0);
    // Assess
    expect(fn.values()).toEqual(['a', 'b', 'c']);
    expect(fn.payloads).toHaveLength(1);
  });

  it('commits only after a successful invoke: a failing function then a restart re-delivers the same records', async () => {
    // Prepare
    const topic = 'at-least-once';
    const groupId = 'esm-test-test-detector-at-least-once';
    await createTopic(topic, 1);
    await producer.send({ topic, messages: [{ value: 'r0' }, { value: 'r1' }, { value: 'r2' }] });
    let attempts = 0;
    const failing = recordingFunction(() => {
      attempts += 1;
      throw new Error('database down');
    });
    const firstRunner = started(runnerFor({ broker, kafka, msk: { topic, maximumBatchingWindow: 0 }, invoke: failing.invoke }));
    await firstRunner.start();
    await waitFor('several failed attempts', () => attempts >= 3);
    // Act
    await firstRunner.stop();
    const committedWhileFailing = await committedOffsets(kafka, groupId, topic);
    const healthy = recordingFunction();
    await started(runnerFor({ broker, kafka, msk: { topic, maximumBatchingWindow: 0 }, invoke: healthy.invoke })).start();
    await waitFor('redelivery', () => healthy.values().length >= 3);
    // Assess
    expect(committedWhileFailing).toEqual([-1]);
    expect(failing.values().slice(0, 3)).toEqual(['r0', 'r1', 'r2']);
    expect(healthy.values()).toEqual(['r0', 'r1', 'r2']);
    await waitFor('commit', async () => (await committedOffsets(kafka, groupId, topic))[0] === 3);
  });

  it('retries, then sends the batch to the on-failure topic with error headers, and moves on', async () => {
    // Prepare
    const topic = 'payments';
    await createTopic(topic, 1);
    await createTopic('payments-dlq', 1);
    let poisonAttempts = 0;
    const fn = recordingFunction((payload) => {
      const values = Object.values(payload.records).flat().map((record) => Buffer.from(record.value ?? '', 'base64').toString());
      if (values.includes('poison')) {
        poisonAttempts += 1;
        throw new Error('cannot parse amount');
      }
    });
    await started(runnerFor({ broker, kafka, msk: { topic, maximumBatchingWindow: 0, maximumRetryAttempts: 2, destinations: { onFailure: 'kafka://payments-dlq' } }, invoke: fn.invoke })).start();
    const dead: Array<{ key: string; value: string; headers: Record<string, string> }> = [];
    const dlqReader = kafka.consumer({ groupId: 'dlq-reader', maxWaitTimeInMs: 200 });
    await dlqReader.connect();
    await dlqReader.subscribe({ topic: 'payments-dlq', fromBeginning: true });
    await dlqReader.run({
      eachMessage: async ({ message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
        dead.push({ key: String(message.key), value: String(message.value), headers });
      },
    });
    try {
      // Act
      await producer.send({ topic, messages: [{ key: 'order-7', value: 'poison', headers: { origin: 'checkout' } }] });
      await waitFor('the dead letter', () => dead.length >= 1);
      await producer.send({ topic, messages: [{ value: 'fine' }] });
      await waitFor('the next record', () => fn.values().includes('fine'));
      // Assess
      expect(poisonAttempts).toBe(3);
      expect(dead).toEqual([
        {
          key: 'order-7',
          value: 'poison',
          headers: {
            origin: 'checkout',
            'x-esm-source-topic': 'payments',
            'x-esm-source-partition': '0',
            'x-esm-source-offset': '0',
            'x-esm-function': 'detector',
            'x-esm-attempts': '3',
            'x-esm-error': 'Error: cannot parse amount',
          },
        },
      ]);
      await waitFor('commit past both', async () => (await committedOffsets(kafka, 'esm-test-test-detector-payments', topic))[0] === 2);
    } finally {
      await dlqReader.disconnect();
    }
  });

  it('resumes from committed offsets after a restart (stable group id)', async () => {
    // Prepare
    const topic = 'resume';
    await createTopic(topic, 1);
    await producer.send({ topic, messages: ['a', 'b', 'c'].map((value) => ({ value })) });
    const before = recordingFunction();
    const firstRunner = started(runnerFor({ broker, kafka, msk: { topic, maximumBatchingWindow: 0 }, invoke: before.invoke }));
    await firstRunner.start();
    await waitFor('first records', () => before.values().length >= 3);
    await waitFor('commit', async () => (await committedOffsets(kafka, 'esm-test-test-detector-resume', topic))[0] === 3);
    await firstRunner.stop();
    await producer.send({ topic, messages: ['d', 'e'].map((value) => ({ value })) });
    const after = recordingFunction();
    // Act
    await started(runnerFor({ broker, kafka, msk: { topic, maximumBatchingWindow: 0 }, invoke: after.invoke })).start();
    await waitFor('new records', () => after.values().length >= 2);
    // Assess
    expect(before.values()).toEqual(['a', 'b', 'c']);
    expect(after.values()).toEqual(['d', 'e']);
  });

  it('starts a new group at LATEST without the records already on the topic', async () => {
    // Prepare
    const topic = 'latest-only';
    await createTopic(topic, 1);
    await producer.send({ topic, messages: [{ value: 'old-1' }, { value: 'old-2' }] });
    const fn = recordingFunction();
    await started(runnerFor({ broker, kafka, msk: { topic, maximumBatchingWindow: 0, startingPosition: 'LATEST' }, invoke: fn.invoke })).start();
    // Act: keep producing until the consumer, once positioned at the log end, sees something new
    let sent = 0;
    await waitFor('a new record', async () => {
      if (fn.values().length > 0) return true;
      await producer.send({ topic, messages: [{ value: `new-${sent++}` }] });
      await new Promise((resolve) => setTimeout(resolve, 100));
      return false;
    });
    // Assess
    expect(fn.values().some((value) => value.startsWith('old-'))).toBe(false);
  });

  it('runs min(maximumPollers, partitions) consumers in one group and delivers every record', async () => {
    // Prepare
    const topic = 'parallel';
    await createTopic(topic, 2);
    await producer.send({ topic, messages: Array.from({ length: 10 }, (_, i) => ({ partition: i % 2, value: `v${i}` })) });
    const fn = recordingFunction();
    const runner = started(runnerFor({ broker, kafka, msk: { topic, maximumBatchingWindow: 0, provisionedPollerConfig: { maximumPollers: 5 } }, invoke: fn.invoke }));
    // Act
    await runner.start();
    await waitFor('all records', () => new Set(fn.values()).size >= 10);
    // Assess
    expect(runner.consumerCount).toBe(2);
    expect(new Set(fn.values())).toEqual(new Set(Array.from({ length: 10 }, (_, i) => `v${i}`)));
  });
});
