import type { Kafka, Producer } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MappingRunner } from '../../../infra/event-source-mapping/mapping-runner.js';
import { kafkaClient, startTestBroker, type TestBroker } from '../../helpers/broker.js';
import { committedOffsets, quietLogger, recordingFunction, runnerFor, waitFor } from './runner-harness.js';

// Topics are never auto-created here, so a missing on-failure topic is a real broker refusal.
let broker: TestBroker;
let kafka: Kafka;
let producer: Producer;
const runners: MappingRunner[] = [];

beforeAll(async () => {
  broker = await startTestBroker({ initialRebalanceDelayMs: 0, autoCreateTopics: false });
  kafka = kafkaClient(broker);
  producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
});

afterEach(async () => {
  for (const runner of runners.splice(0)) await runner.stop();
});

afterAll(async () => {
  await producer?.disconnect();
  await broker?.close();
});

async function createTopic(topic: string, numPartitions = 1): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true });
  await admin.disconnect();
}

function started(runner: MappingRunner): MappingRunner {
  runners.push(runner);
  return runner;
}

describe('mapping runner: starting positions and recovery', () => {
  it('starts a new group AT_TIMESTAMP at the first record at or after the timestamp', async () => {
    // Prepare
    const topic = 'since';
    await createTopic(topic);
    await producer.send({ topic, messages: [{ value: 'before-1' }, { value: 'before-2' }] });
    await new Promise((resolve) => setTimeout(resolve, 20)); // the next records get a later timestamp
    const fromMs = Date.now();
    await producer.send({ topic, messages: [{ value: 'after-1' }, { value: 'after-2' }] });
    const fn = recordingFunction();
    // Act
    await started(runnerFor({ broker, kafka, msk: { topic, maximumBatchingWindow: 0, startingPosition: 'AT_TIMESTAMP', startingPositionTimestamp: fromMs / 1000 }, invoke: fn.invoke })).start();
    await waitFor('records after the timestamp', () => fn.values().length >= 2);
    // Assess
    expect(fn.values()).toEqual(['after-1', 'after-2']);
  });

  it('does not consume for a disabled mapping', async () => {
    // Prepare
    const topic = 'switched-off';
    await createTopic(topic);
    const fn = recordingFunction();
    const runner = started(runnerFor({ broker, kafka, msk: { topic, enabled: false }, invoke: fn.invoke }));
    // Act
    await runner.start();
    // Assess
    expect(runner.consumerCount).toBe(0);
    expect(await committedOffsets(kafka, 'esm-test-test-detector-switched-off', topic)).toEqual([-1]);
  });

  it('keeps a batch uncommitted while its on-failure topic refuses it, restarts its consumer, and delivers once the topic exists', async () => {
    // Prepare
    const topic = 'orders';
    const groupId = 'esm-test-test-detector-orders';
    await createTopic(topic);
    const fn = recordingFunction(() => {
      throw new Error('always fails');
    });
    quietLogger.errors.length = 0;
    await started(runnerFor({ broker, kafka, consumerRetries: 0, msk: { topic, maximumBatchingWindow: 0, maximumRetryAttempts: 0, destinations: { onFailure: 'orders-dlq' } }, invoke: fn.invoke })).start();
    // Act
    await producer.send({ topic, messages: [{ key: 'o-1', value: 'order-1' }] });
    await waitFor('the consumer to be restarted', () => quietLogger.errors.some((message) => message.includes('restarting the consumer')));
    const committedWhileRefused = await committedOffsets(kafka, groupId, topic);
    await createTopic('orders-dlq');
    await waitFor('the commit past the failed record', async () => (await committedOffsets(kafka, groupId, topic))[0] === 1);
    // Assess
    expect(committedWhileRefused).toEqual([-1]);
    const admin = kafka.admin();
    await admin.connect();
    const dlqEnd = await admin.fetchTopicOffsets('orders-dlq');
    await admin.disconnect();
    expect(dlqEnd.map((partition) => partition.high)).toEqual(['1']);
    expect(fn.values().every((value) => value === 'order-1')).toBe(true);
  });
});
