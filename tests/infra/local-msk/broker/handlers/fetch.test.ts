import type { Kafka } from 'kafkajs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../../../infra/local-msk/protocol/error-codes.js';
import { encodeRecordBatch } from '../../../../../infra/local-msk/protocol/record-batch/index.js';
import { kafkaClient, startTestBroker, type TestBroker } from '../../../../helpers/broker.js';
import { RawKafkaClient } from '../../../../helpers/raw-kafka-client.js';
import { fetchRaw, produceBatch } from './data-wire.js';

const timestamp = 1_700_000_000_000;
/** Longest wait the protocol allows: a fetch that must wake on data can only finish by waking. */
const foreverMs = 2 ** 31 - 1;

let broker: TestBroker;
let kafka: Kafka;
let raw: RawKafkaClient;
let producerClient: RawKafkaClient;

beforeEach(async () => {
  broker = await startTestBroker();
  kafka = kafkaClient(broker);
  raw = await RawKafkaClient.connect(broker.bootstrap);
  producerClient = await RawKafkaClient.connect(broker.bootstrap);
});

afterEach(async () => {
  await raw.close();
  await producerClient.close();
  await broker.close();
});

const batchOf = (...values: string[]) => encodeRecordBatch({ records: values.map((value, i) => ({ key: `k-${value}`, value, timestamp: timestamp + i })) });
const partitionOf = (response: any, index = 0) => response.responses[0].partitions[index];
const values = (partition: any) => partition.messages.map((m: any) => m.value.toString());

describe('Fetch', () => {
  it('returns what kafkajs produced, with headers, timestamps and watermarks, in every version 4-11', async () => {
    // Prepare
    await broker.context.topics.create('events', 1);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: 'events',
      messages: [
        { key: 'a', value: 'one', timestamp: String(timestamp), headers: { h: 'x' } },
        { key: 'b', value: 'two', timestamp: String(timestamp + 10) },
      ],
    });
    await producer.disconnect();
    for (const version of [4, 5, 6, 7, 8, 9, 10, 11]) {
      // Act
      const response = await fetchRaw(raw, [{ topic: 'events', partition: 0, fetchOffset: 0 }], { version });
      // Assess
      const partition = partitionOf(response);
      expect(partition, `v${version}`).toMatchObject({ errorCode: 0, highWatermark: '2', lastStableOffset: '2', abortedTransactions: [] });
      expect(partition.messages.map((m: any) => [m.offset, m.key.toString(), m.value.toString(), m.timestamp])).toEqual([
        ['0', 'a', 'one', String(timestamp)],
        ['1', 'b', 'two', String(timestamp + 10)],
      ]);
      expect(partition.messages[0].headers.h.toString()).toBe('x');
      if (version >= 5) expect(partition.lastStartOffset ?? partition.logStartOffset).toBe('0');
      if (version >= 7) expect(response).toMatchObject({ errorCode: 0, sessionId: 0 });
      if (version >= 11) expect(partition.preferredReadReplica).toBe(-1);
    }
  });

  it('long-polls at the end of the log and wakes when data is appended', async () => {
    // Prepare
    await broker.context.topics.create('waiting', 1);
    // Act
    const fetching = fetchRaw(raw, [{ topic: 'waiting', partition: 0, fetchOffset: 0 }], { maxWaitTime: foreverMs, minBytes: 1 });
    await produceBatch(producerClient, 'waiting', 0, batchOf('late'));
    const response = await fetching;
    // Assess
    expect(values(partitionOf(response))).toEqual(['late']);
  });

  it('keeps waiting until min_bytes have arrived across partitions', async () => {
    // Prepare
    await broker.context.topics.create('accumulate', 2);
    const small = batchOf('first');
    // Act
    const fetching = fetchRaw(
      raw,
      [
        { topic: 'accumulate', partition: 0, fetchOffset: 0 },
        { topic: 'accumulate', partition: 1, fetchOffset: 0 },
      ],
      { maxWaitTime: foreverMs, minBytes: small.length + 1 },
    );
    await produceBatch(producerClient, 'accumulate', 0, small);
    await produceBatch(producerClient, 'accumulate', 1, batchOf('second'));
    const response = await fetching;
    // Assess
    expect([values(partitionOf(response, 0)), values(partitionOf(response, 1))]).toEqual([['first'], ['second']]);
  });

  it('answers at max_wait_ms with the records that arrived when they never reached min_bytes', async () => {
    // Prepare
    await broker.context.topics.create('short-of-min', 1);
    // Act: one small batch arrives during a wait for 1 MiB; the broker counts it without re-reading
    const fetching = fetchRaw(raw, [{ topic: 'short-of-min', partition: 0, fetchOffset: 0 }], { maxWaitTime: 300, minBytes: 1024 * 1024 });
    await produceBatch(producerClient, 'short-of-min', 0, batchOf('only'));
    const response = await fetching;
    // Assess
    expect(values(partitionOf(response))).toEqual(['only']);
  });

  it('answers with no records once max_wait_ms passes without data', async () => {
    // Prepare
    await broker.context.topics.create('quiet', 1);
    // Act
    const response = await fetchRaw(raw, [{ topic: 'quiet', partition: 0, fetchOffset: 0 }], { maxWaitTime: 50, minBytes: 1 });
    // Assess
    expect(partitionOf(response)).toMatchObject({ errorCode: 0, highWatermark: '0', messages: [] });
  });

  it('answers OFFSET_OUT_OF_RANGE past the end and below the log start, with the watermarks', async () => {
    // Prepare
    await broker.context.topics.create('ranged', 1);
    for (const value of ['a', 'b', 'c']) await produceBatch(producerClient, 'ranged', 0, batchOf(value));
    await broker.context.topics.partition('ranged', 0)!.enforceRetention({ retentionMs: -1, retentionBytes: 0 }, Date.now());
    // Act
    const pastEnd = await fetchRaw(raw, [{ topic: 'ranged', partition: 0, fetchOffset: 4 }], { maxWaitTime: foreverMs });
    const belowStart = await fetchRaw(raw, [{ topic: 'ranged', partition: 0, fetchOffset: 0 }], { maxWaitTime: foreverMs });
    const atStart = await fetchRaw(raw, [{ topic: 'ranged', partition: 0, fetchOffset: 2 }]);
    // Assess
    expect(partitionOf(pastEnd)).toMatchObject({ errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, highWatermark: '3', lastStartOffset: '2' });
    expect(partitionOf(belowStart)).toMatchObject({ errorCode: ErrorCode.OFFSET_OUT_OF_RANGE });
    expect(values(partitionOf(atStart))).toEqual(['c']);
  });

  it('answers UNKNOWN_TOPIC_OR_PARTITION for unknown topics and partitions without creating them', async () => {
    // Prepare
    await broker.context.topics.create('known', 1);
    // Act
    const response = await fetchRaw(
      raw,
      [
        { topic: 'unknown', partition: 0, fetchOffset: 0 },
        { topic: 'known', partition: 3, fetchOffset: 0 },
      ],
      { maxWaitTime: foreverMs },
    );
    // Assess
    expect(response.responses.map((t: any) => [t.topicName, t.partitions[0].errorCode])).toEqual([
      ['unknown', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
      ['known', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
    ]);
    expect(broker.context.topics.get('unknown')).toBeUndefined();
  });

  it('returns whole batches within partition_max_bytes, and the first batch even when larger', async () => {
    // Prepare
    await broker.context.topics.create('sized', 1);
    const batches = [batchOf('a1', 'a2'), batchOf('b1'), batchOf('c1')];
    for (const batch of batches) await produceBatch(producerClient, 'sized', 0, batch);
    // Act
    const tiny = await fetchRaw(raw, [{ topic: 'sized', partition: 0, fetchOffset: 0, maxBytes: 1 }]);
    const two = await fetchRaw(raw, [{ topic: 'sized', partition: 0, fetchOffset: 0, maxBytes: batches[0]!.length + batches[1]!.length }]);
    const midBatch = await fetchRaw(raw, [{ topic: 'sized', partition: 0, fetchOffset: 1, maxBytes: 1 }]);
    // Assess
    expect(values(partitionOf(tiny))).toEqual(['a1', 'a2']);
    expect(values(partitionOf(two))).toEqual(['a1', 'a2', 'b1']);
    // The whole batch holding the fetch offset comes back; consumers skip the records before it.
    expect(partitionOf(midBatch).messages.map((m: any) => m.offset)).toEqual(['0', '1']);
  });

  it('stops at max_bytes across partitions after the first batch', async () => {
    // Prepare
    await broker.context.topics.create('budget', 2);
    await produceBatch(producerClient, 'budget', 0, batchOf('p0-a'));
    await produceBatch(producerClient, 'budget', 0, batchOf('p0-b'));
    await produceBatch(producerClient, 'budget', 1, batchOf('p1-a'));
    // Act
    const response = await fetchRaw(
      raw,
      [
        { topic: 'budget', partition: 0, fetchOffset: 0 },
        { topic: 'budget', partition: 1, fetchOffset: 0 },
      ],
      { maxBytes: 1 },
    );
    // Assess
    expect(values(partitionOf(response, 0))).toEqual(['p0-a']);
    expect(partitionOf(response, 1)).toMatchObject({ errorCode: 0, highWatermark: '1', messages: [] });
  });

  it('answers a fetch session id with FETCH_SESSION_ID_NOT_FOUND (sessions are never created)', async () => {
    // Prepare
    await broker.context.topics.create('sessions', 1);
    // Act
    const response = await fetchRaw(raw, [{ topic: 'sessions', partition: 0, fetchOffset: 0 }], { sessionId: 12 });
    // Assess
    expect(response.errorCode).toBe(ErrorCode.FETCH_SESSION_ID_NOT_FOUND);
    expect(response.responses).toEqual([]);
  });
});
