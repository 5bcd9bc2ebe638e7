import type { Kafka, Producer } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MappingRunner } from '../../../infra/event-source-mapping/mapping-runner.js';
import { kafkaClient, startTestBroker, type TestBroker } from '../../helpers/broker.js';
import { committedOffsets, eventValues, quietLogger, recordingFunction, runnerFor, topicEnd, topicReader, waitFor } from './runner-harness.js';

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

/** `topic` and its on-failure topic `<topic>-dlq`, one partition each. */
async function createTopics(topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }, { topic: `${topic}-dlq`, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
}

async function started(topic: string, msk: Record<string, unknown>, invoke: ReturnType<typeof recordingFunction>['invoke']): Promise<void> {
  const runner = runnerFor({ broker, kafka, invoke, msk: { topic, ...msk } });
  runners.push(runner);
  await runner.start();
}

const committed = async (topic: string) => (await committedOffsets(kafka, `esm-test-test-detector-${topic}`, topic))[0];

describe('split batch on error (bisectBatchOnFunctionError)', () => {
  it('halves a failing batch until the failing record stands alone, without using up retries', async () => {
    // Prepare: one batch of four (batchSize 4, a 60 s window) with a poison record third
    const topic = 'bisected';
    await createTopics(topic);
    await producer.send({ topic, messages: ['ok-0', 'ok-1', 'poison', 'ok-3'].map((value) => ({ value })) });
    const fn = recordingFunction((payload) => {
      if (eventValues(payload).includes('poison')) throw new Error('cannot parse');
    });
    const dlq = await topicReader(kafka, `${topic}-dlq`);
    try {
      // Act
      await started(topic, { batchSize: 4, maximumBatchingWindow: 60, bisectBatchOnFunctionError: true, maximumRetryAttempts: 0, destinations: { onFailure: `${topic}-dlq` } }, fn.invoke);
      await waitFor('the commit past all four records', async () => (await committed(topic)) === 4);
      await waitFor('the dead letter', () => dlq.messages.length >= 1);
      // Assess
      expect(fn.payloads.map(eventValues)).toEqual([['ok-0', 'ok-1', 'poison', 'ok-3'], ['ok-0', 'ok-1'], ['poison', 'ok-3'], ['poison'], ['ok-3']]);
      expect(dlq.messages.map((message) => [message.value, message.headers['x-esm-attempts']])).toEqual([['poison', '3']]);
      expect(await topicEnd(kafka, `${topic}-dlq`)).toBe(1);
    } finally {
      await dlq.stop();
    }
  });
});

describe('maximum record age, applied before invoking', () => {
  const twoHoursAgo = () => String(Date.now() - 2 * 3600 * 1000);

  it('sends records older than maximumRecordAgeInSeconds to the on-failure topic without invoking the function', async () => {
    // Prepare
    const topic = 'aged';
    await createTopics(topic);
    await producer.send({ topic, messages: [{ value: 'old-1', timestamp: twoHoursAgo() }, { value: 'old-2', timestamp: twoHoursAgo() }, { value: 'fresh' }] });
    const fn = recordingFunction();
    const dlq = await topicReader(kafka, `${topic}-dlq`);
    try {
      // Act
      await started(topic, { batchSize: 3, maximumBatchingWindow: 60, maximumRecordAgeInSeconds: 60, destinations: { onFailure: `kafka://${topic}-dlq` } }, fn.invoke);
      await waitFor('the commit past all three records', async () => (await committed(topic)) === 3);
      await waitFor('two dead letters', () => dlq.messages.length >= 2);
      // Assess
      expect(fn.values()).toEqual(['fresh']);
      expect(dlq.messages.map((message) => [message.value, message.headers['x-esm-attempts']])).toEqual([
        ['old-1', '0'],
        ['old-2', '0'],
      ]);
      expect(dlq.messages[0]?.headers['x-esm-error']).toContain('maximumRecordAgeInSeconds');
    } finally {
      await dlq.stop();
    }
  });

  it('skips and commits past too-old records when there is no on-failure destination, logging them', async () => {
    // Prepare
    const topic = 'aged-no-destination';
    await createTopics(topic);
    await producer.send({ topic, messages: [{ value: 'old', timestamp: twoHoursAgo() }, { value: 'fresh' }] });
    const fn = recordingFunction();
    quietLogger.errors.length = 0;
    // Act
    await started(topic, { batchSize: 2, maximumBatchingWindow: 60, maximumRecordAgeInSeconds: 60 }, fn.invoke);
    await waitFor('the commit past both records', async () => (await committed(topic)) === 2);
    // Assess
    expect(fn.values()).toEqual(['fresh']);
    expect(quietLogger.errors.some((message) => message.includes('skipped'))).toBe(true);
  });
});
