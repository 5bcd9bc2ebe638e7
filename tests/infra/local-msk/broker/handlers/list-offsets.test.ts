import { CompressionTypes, type Admin, type Kafka } from 'kafkajs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../../../infra/local-msk/protocol/error-codes.js';
import { batchField, CompressionCodec, computeBatchCrc, encodeRecordBatch } from '../../../../../infra/local-msk/protocol/record-batch/index.js';
import { kafkaClient, startTestBroker, type TestBroker } from '../../../../helpers/broker.js';
import { RawKafkaClient } from '../../../../helpers/raw-kafka-client.js';
import { kafkajsRequestOver, produceBatch } from './data-wire.js';

const t0 = 1_700_000_000_000;

let broker: TestBroker;
let kafka: Kafka;
let admin: Admin;
let raw: RawKafkaClient;

beforeEach(async () => {
  broker = await startTestBroker();
  kafka = kafkaClient(broker);
  admin = kafka.admin();
  await admin.connect();
  raw = await RawKafkaClient.connect(broker.bootstrap);
});

afterEach(async () => {
  await admin.disconnect();
  await raw.close();
  await broker.close();
});

/** Partition 0 of `topic`: offsets 0-1 at t0, t0+1000 (one batch), offsets 2-4 at t0+2000..t0+4000 (gzip batch). */
async function seed(topic: string) {
  await broker.context.topics.create(topic, 2);
  await produceBatch(raw, topic, 0, encodeRecordBatch({ records: [{ value: 'a', timestamp: t0 }, { value: 'b', timestamp: t0 + 1000 }] }));
  await produceBatch(
    raw,
    topic,
    0,
    encodeRecordBatch({
      compression: CompressionCodec.gzip,
      records: [2000, 3000, 4000].map((delta) => ({ value: `at-${delta}`, timestamp: t0 + delta })),
    }),
  );
}

const listOffsets = (version: number, topic: string, partitions: { partition: number; timestamp: number }[]) =>
  kafkajsRequestOver(raw, 'listOffsets', version, { replicaId: -1, isolationLevel: 1, topics: [{ topic, partitions }] });

describe('ListOffsets', () => {
  it('gives kafkajs admin the earliest and latest offsets of every partition', async () => {
    // Prepare
    await seed('offsets');
    // Act
    const offsets = await admin.fetchTopicOffsets('offsets');
    // Assess
    expect(offsets.sort((a, b) => a.partition - b.partition)).toEqual([
      { partition: 0, offset: '5', high: '5', low: '0' },
      { partition: 1, offset: '0', high: '0', low: '0' },
    ]);
  });

  it('finds the first offset at or after a timestamp, also inside a gzip batch', async () => {
    // Prepare
    await seed('by-time');
    // Act
    const cases = [];
    for (const at of [t0 - 1, t0 + 500, t0 + 2500, t0 + 4000, t0 + 9999]) {
      const offsets = await admin.fetchTopicOffsetsByTimestamp('by-time', at);
      cases.push(offsets.find((o) => o.partition === 0)!.offset);
    }
    // Assess: the last one matches nothing, so kafkajs falls back to the high watermark
    expect(cases).toEqual(['0', '1', '3', '4', '5']);
  });

  it('answers the record timestamp found (v1+), and -1 when no record is that new', async () => {
    // Prepare
    await seed('exact');
    // Act
    const response = await listOffsets(1, 'exact', [
      { partition: 0, timestamp: t0 + 2500 },
      { partition: 1, timestamp: t0 },
    ]);
    // Assess
    expect(response.responses[0].partitions.map((p: any) => [p.partition, p.errorCode, p.timestamp, p.offset])).toEqual([
      [0, 0, String(t0 + 3000), '3'],
      [1, 0, '-1', '-1'],
    ]);
  });

  it('answers v0 with old-style offset lists, empty when nothing matches', async () => {
    // Prepare
    await seed('old-style');
    // Act
    const response = await listOffsets(0, 'old-style', [
      { partition: 0, timestamp: -1 },
      { partition: 0, timestamp: -2 },
      { partition: 1, timestamp: t0 },
    ]);
    // Assess
    expect(response.responses[0].partitions.map((p: any) => p.offsets)).toEqual([['5'], ['0'], []]);
  });

  it('answers every version 0-3 for latest and earliest after retention moved the start', async () => {
    // Prepare
    await seed('retained');
    await broker.context.topics.partition('retained', 0)!.enforceRetention({ retentionMs: -1, retentionBytes: 0 }, Date.now());
    // Act
    const answers = [];
    for (const version of [1, 2, 3]) {
      const response = await listOffsets(version, 'retained', [
        { partition: 0, timestamp: -2 },
        { partition: 0, timestamp: -1 },
      ]);
      answers.push(response.responses[0].partitions.map((p: any) => p.offset));
    }
    // Assess
    expect(answers).toEqual([
      ['2', '5'],
      ['2', '5'],
      ['2', '5'],
    ]);
  });

  it('answers the next batch when the batch chosen by its header maxTimestamp holds no record that new', async () => {
    // Prepare: the first batch claims a maxTimestamp its records do not reach
    await broker.context.topics.create('overstated', 1);
    const overstated = encodeRecordBatch({ records: [{ value: 'a', timestamp: t0 }, { value: 'b', timestamp: t0 + 1 }] });
    overstated.writeBigInt64BE(BigInt(t0 + 100), batchField.maxTimestamp);
    overstated.writeUInt32BE(computeBatchCrc(overstated), batchField.crc);
    await produceBatch(raw, 'overstated', 0, overstated);
    await produceBatch(raw, 'overstated', 0, encodeRecordBatch({ records: [{ value: 'c', timestamp: t0 + 200 }] }));
    // Act
    const response = await listOffsets(1, 'overstated', [{ partition: 0, timestamp: t0 + 50 }]);
    // Assess
    expect(response.responses[0].partitions[0]).toMatchObject({ errorCode: 0, offset: '2', timestamp: String(t0 + 200) });
  });

  it('answers UNKNOWN_TOPIC_OR_PARTITION for an unknown topic or partition without creating it', async () => {
    // Prepare
    await broker.context.topics.create('present', 1);
    // Act
    const unknownTopic = await listOffsets(2, 'absent', [{ partition: 0, timestamp: -1 }]);
    const unknownPartition = await listOffsets(2, 'present', [{ partition: 4, timestamp: -1 }]);
    // Assess
    expect(unknownTopic.responses[0].partitions[0]).toMatchObject({ errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, offset: '-1' });
    expect(unknownPartition.responses[0].partitions[0].errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    expect(broker.context.topics.get('absent')).toBeUndefined();
  });

  it('finds timestamps in what a kafkajs producer wrote with gzip', async () => {
    // Prepare
    await broker.context.topics.create('produced', 1);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: 'produced',
      compression: CompressionTypes.GZIP,
      messages: [0, 100, 200].map((delta) => ({ value: `m${delta}`, timestamp: String(t0 + delta) })),
    });
    await producer.disconnect();
    // Act
    const offsets = await admin.fetchTopicOffsetsByTimestamp('produced', t0 + 150);
    // Assess
    expect(offsets).toEqual([{ partition: 0, offset: '2' }]);
  });
});
