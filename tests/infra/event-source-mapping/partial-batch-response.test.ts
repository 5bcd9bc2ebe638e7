import type { Kafka, Producer } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { KafkaRecordInput } from '../../../functions/shared/kafka/index.js';
import type { MappingRunner } from '../../../infra/event-source-mapping/mapping-runner.js';
import { readBatchResponse } from '../../../infra/event-source-mapping/partial-batch-response.js';
import { kafkaClient, startTestBroker, type TestBroker } from '../../helpers/broker.js';
import { committedOffsets, eventCoordinates, recordingFunction, runnerFor, topicEnd, topicReader, waitFor } from './runner-harness.js';

function record(partition: number, offset: number): KafkaRecordInput {
  return { topic: 'logs', partition, offset, timestamp: 1_700_000_000_000, value: `p${partition}-${offset}` };
}

const failure = (partition: unknown, offset: unknown) => ({ itemIdentifier: { partition, offset } });

describe('readBatchResponse', () => {
  const batch = [record(0, 5), record(0, 6), record(0, 7), record(1, 2), record(1, 3)];

  it.each([
    ['no result', undefined],
    ['null', null],
    ['a result without batchItemFailures', { stored: 5 }],
    ['a null list', { batchItemFailures: null }],
    ['an empty list', { batchItemFailures: [] }],
    ['a string result', 'done'],
  ])('reads %s as success', (_what, response) => {
    // Act, Assess
    expect(readBatchResponse(response, batch)).toEqual({ kind: 'success' });
  });

  it('retries, per reported partition, from the lowest reported offset on; other partitions are done', () => {
    // Act
    const verdict = readBatchResponse({ batchItemFailures: [failure('logs-0', 7), failure('logs-0', 6)] }, batch);
    // Assess
    expect(verdict).toEqual({ kind: 'partial', retry: [record(0, 6), record(0, 7)], reported: 2 });
  });

  it.each([
    ['a list that is not an array', { batchItemFailures: { itemIdentifier: failure('logs-0', 6).itemIdentifier } }],
    ["Kinesis's string identifier", { batchItemFailures: [{ itemIdentifier: '6' }] }],
    ['a null identifier', { batchItemFailures: [{ itemIdentifier: null }] }],
    ['a misspelt key', { batchItemFailures: [{ itemIdentifer: { partition: 'logs-0', offset: 6 } }] }],
    ['an offset as a string', { batchItemFailures: [failure('logs-0', '6')] }],
    ['a partition number instead of its key', { batchItemFailures: [failure(0, 6)] }],
    ['a partition the batch did not hold', { batchItemFailures: [failure('logs-9', 6)] }],
    ['an offset the batch did not hold', { batchItemFailures: [failure('logs-1', 4)] }],
  ])('reads %s as an invalid response (the whole batch failed)', (_what, response) => {
    // Act
    const verdict = readBatchResponse(response, batch);
    // Assess
    expect(verdict.kind).toBe('invalid');
  });
});

describe('partial batch responses against the local MSK', () => {
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

  /** The source topic with two partitions and, when asked, its on-failure topic with one. */
  async function createTopics(topic: string, withDestination = false): Promise<void> {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }, ...(withDestination ? [{ topic: `${topic}-dlq`, numPartitions: 1 }] : [])], waitForLeaders: true });
    await admin.disconnect();
  }

  /** Four records on partition 0 and two on partition 1: one batch of six (batchSize 6, a 60 s window). */
  async function sixRecords(topic: string): Promise<void> {
    await producer.send({ topic, messages: [0, 1, 2, 3].map((i) => ({ partition: 0, value: `a${i}` })) });
    await producer.send({ topic, messages: [0, 1].map((i) => ({ partition: 1, value: `b${i}` })) });
  }

  async function started(topic: string, msk: Record<string, unknown>, invoke: ReturnType<typeof recordingFunction>['invoke']): Promise<void> {
    const runner = runnerFor({ broker, kafka, invoke, msk: { topic, batchSize: 6, maximumBatchingWindow: 60, provisionedPollerConfig: { maximumPollers: 1 }, ...msk } });
    runners.push(runner);
    await runner.start();
  }

  it('retries only the reported record and those after it in its partition, and commits past every record', async () => {
    // Prepare
    const topic = 'partial-retry';
    await createTopics(topic);
    await sixRecords(topic);
    const fn = recordingFunction((_payload, call) => (call === 1 ? { batchItemFailures: [failure(`${topic}-0`, 2)] } : undefined));
    // Act
    await started(topic, { functionResponseTypes: ['ReportBatchItemFailures'] }, fn.invoke);
    await waitFor('the commit past all six records', async () => (await committedOffsets(kafka, `esm-test-test-detector-${topic}`, topic)).join() === '4,2');
    // Assess
    expect(fn.payloads.map(eventCoordinates)).toEqual([
      ['0:0', '0:1', '0:2', '0:3', '1:0', '1:1'],
      ['0:2', '0:3'],
    ]);
  });

  it('commits the records before a reported failure, and the other partitions, while the failed record is still retried', async () => {
    // Prepare: the function keeps reporting a2 (partition 0, offset 2) until the test lets it succeed
    const topic = 'partial-checkpoint';
    await createTopics(topic);
    await sixRecords(topic);
    let healed = false;
    const fn = recordingFunction(() => (healed ? undefined : { batchItemFailures: [failure(`${topic}-0`, 2)] }));
    const committed = async () => (await committedOffsets(kafka, `esm-test-test-detector-${topic}`, topic)).join();
    // Act
    await started(topic, { functionResponseTypes: ['ReportBatchItemFailures'] }, fn.invoke);
    await waitFor('the commit up to the failed record', async () => (await committed()) === '2,2');
    const invocationsWhileFailing = fn.payloads.length;
    healed = true;
    await waitFor('the commit past all six records', async () => (await committed()) === '4,2');
    // Assess: every retry held only a2 and a3
    expect(invocationsWhileFailing).toBeGreaterThan(1);
    expect(fn.payloads.slice(1).every((payload) => eventCoordinates(payload).join() === '0:2,0:3')).toBe(true);
  });

  it('ignores batchItemFailures unless functionResponseTypes holds ReportBatchItemFailures, as AWS does', async () => {
    // Prepare
    const topic = 'partial-off';
    await createTopics(topic);
    await sixRecords(topic);
    const fn = recordingFunction(() => ({ batchItemFailures: [failure(`${topic}-0`, 2)] }));
    // Act
    await started(topic, {}, fn.invoke);
    await waitFor('the commit past all six records', async () => (await committedOffsets(kafka, `esm-test-test-detector-${topic}`, topic)).join() === '4,2');
    // Assess
    expect(fn.payloads).toHaveLength(1);
  });

  it('retries the reported records until retries run out, then sends just them to the on-failure topic', async () => {
    // Prepare
    const topic = 'partial-dlq';
    await createTopics(topic, true);
    await sixRecords(topic);
    const fn = recordingFunction(() => ({ batchItemFailures: [failure(`${topic}-0`, 1)] }));
    const dlq = await topicReader(kafka, `${topic}-dlq`);
    try {
      // Act
      await started(topic, { functionResponseTypes: ['ReportBatchItemFailures'], maximumRetryAttempts: 1, destinations: { onFailure: `kafka://${topic}-dlq` } }, fn.invoke);
      await waitFor('the commit past all six records', async () => (await committedOffsets(kafka, `esm-test-test-detector-${topic}`, topic)).join() === '4,2');
      await waitFor('three dead letters', () => dlq.messages.length >= 3);
      // Assess
      expect(fn.payloads.map(eventCoordinates)).toEqual([
        ['0:0', '0:1', '0:2', '0:3', '1:0', '1:1'],
        ['0:1', '0:2', '0:3'],
      ]);
      expect(dlq.messages.map((message) => [message.value, message.headers['x-esm-source-offset'], message.headers['x-esm-attempts']])).toEqual([
        ['a1', '1', '2'],
        ['a2', '2', '2'],
        ['a3', '3', '2'],
      ]);
      expect(dlq.messages[0]?.headers['x-esm-error']).toContain('batchItemFailures');
    } finally {
      await dlq.stop();
    }
  });

  it('treats a response naming a record the batch did not hold as a failure of the whole batch', async () => {
    // Prepare
    const topic = 'partial-invalid';
    await createTopics(topic, true);
    await sixRecords(topic);
    const fn = recordingFunction(() => ({ batchItemFailures: [failure(`${topic}-0`, 99)] }));
    // Act
    await started(topic, { functionResponseTypes: ['ReportBatchItemFailures'], maximumRetryAttempts: 1, destinations: { onFailure: `kafka://${topic}-dlq` } }, fn.invoke);
    await waitFor('the commit past all six records', async () => (await committedOffsets(kafka, `esm-test-test-detector-${topic}`, topic)).join() === '4,2');
    // Assess: invoked twice with the whole batch, then all six went to the on-failure topic
    expect(fn.payloads.map(eventCoordinates)).toEqual([
      ['0:0', '0:1', '0:2', '0:3', '1:0', '1:1'],
      ['0:0', '0:1', '0:2', '0:3', '1:0', '1:1'],
    ]);
    expect(await topicEnd(kafka, `${topic}-dlq`)).toBe(6);
  });
});
