import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompressionTypes, type Kafka } from 'kafkajs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiKey } from '../../../../../infra/local-msk/protocol/api-keys.js';
import { ErrorCode } from '../../../../../infra/local-msk/protocol/error-codes.js';
import { Reader } from '../../../../../infra/local-msk/protocol/reader.js';
import { Writer } from '../../../../../infra/local-msk/protocol/writer.js';
import { batchField, computeBatchCrc, decodeRecordBatch, encodeRecordBatch, readBatchHeader } from '../../../../../infra/local-msk/protocol/record-batch/index.js';
import { kafkaClient, startTestBroker, type TestBroker } from '../../../../helpers/broker.js';
import { RawKafkaClient } from '../../../../helpers/raw-kafka-client.js';
import { kafkajsRequestOver, produceBatch, produceBody, produceRaw } from './data-wire.js';

const timestamp = 1_700_000_000_000;

let broker: TestBroker;
let kafka: Kafka;
let raw: RawKafkaClient;
const cleanups: (() => Promise<void>)[] = [];

beforeEach(async () => {
  broker = await startTestBroker({ defaultPartitions: 2 });
  kafka = kafkaClient(broker);
  raw = await RawKafkaClient.connect(broker.bootstrap);
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  await raw.close();
  await broker.close();
});

async function connectedProducer(config: Parameters<Kafka['producer']>[0] = {}) {
  const producer = kafka.producer(config);
  await producer.connect();
  cleanups.push(() => producer.disconnect());
  return producer;
}

/** Every stored batch of a partition, decoded. */
async function stored(topic: string, partition: number) {
  const log = broker.context.topics.partition(topic, partition)!;
  const batches = await log.read(log.logStartOffset, Number.MAX_SAFE_INTEGER);
  return Promise.all(batches.map((batch) => decodeRecordBatch(batch)));
}

describe('Produce through kafkajs', () => {
  it('appends with acks -1 and 1, assigning consecutive offsets', async () => {
    // Prepare
    await broker.context.topics.create('orders', 1);
    const producer = await connectedProducer();
    // Act
    const [first] = await producer.send({ topic: 'orders', acks: -1, messages: [{ key: 'a', value: '1' }, { key: 'b', value: '2' }] });
    const [second] = await producer.send({ topic: 'orders', acks: 1, messages: [{ key: 'c', value: '3' }] });
    // Assess
    expect(first).toMatchObject({ errorCode: 0, baseOffset: '0', logStartOffset: '0' });
    expect(second).toMatchObject({ errorCode: 0, baseOffset: '2' });
    const batches = await stored('orders', 0);
    expect(batches.flatMap((b) => b.records.map((r) => [r.offset, r.key!.toString(), r.value!.toString()]))).toEqual([
      [0, 'a', '1'],
      [1, 'b', '2'],
      [2, 'c', '3'],
    ]);
  });

  it('appends with acks 0 without answering', async () => {
    // Prepare
    await broker.context.topics.create('fire-and-forget', 1);
    const batch = encodeRecordBatch({ records: [{ value: 'quiet', timestamp }] });
    // Act
    raw.sendWithoutResponse(ApiKey.Produce, 7, produceBody({ acks: 0, topics: [{ name: 'fire-and-forget', partitions: [{ index: 0, records: batch }] }] }));
    // Requests are answered in order, so once this Metadata answer is in the Produce has been handled.
    await raw.send(ApiKey.Metadata, 1, Buffer.from('ffffffff', 'hex'));
    // Assess
    expect(raw.unmatchedResponses).toEqual([]);
    expect(broker.context.topics.partition('fire-and-forget', 0)!.logEndOffset).toBe(1);
  });

  it('stores gzip batches compressed, exactly as kafkajs sent them', async () => {
    // Prepare
    await broker.context.topics.create('zipped', 1);
    const producer = await connectedProducer();
    const messages = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: `value-${i}-`.padEnd(200, 'z') }));
    // Act
    await producer.send({ topic: 'zipped', compression: CompressionTypes.GZIP, messages });
    // Assess
    const log = broker.context.topics.partition('zipped', 0)!;
    const [batch] = await log.read(0, 1);
    const header = readBatchHeader(batch!);
    expect(header.compression).toBe(1);
    expect(header.crc).toBe(computeBatchCrc(batch!));
    expect(batch!.length).toBeLessThan(50 * 200);
    const { records } = await decodeRecordBatch(batch!);
    expect(records.map((r) => r.value!.toString())).toEqual(messages.map((m) => m.value));
  });

  it('keeps headers and explicit timestamps', async () => {
    // Prepare
    await broker.context.topics.create('annotated', 1);
    const producer = await connectedProducer();
    // Act
    await producer.send({
      topic: 'annotated',
      messages: [
        { key: 'x', value: 'first', timestamp: String(timestamp), headers: { trace: 'abc', tenant: 'acme' } },
        { key: 'y', value: 'second', timestamp: String(timestamp + 1500) },
      ],
    });
    // Assess
    const [batch] = await stored('annotated', 0);
    expect(batch!.records.map((r) => r.timestamp)).toEqual([timestamp, timestamp + 1500]);
    expect(batch!.records[0]!.headers.map((h) => [h.key, h.value!.toString()])).toEqual([
      ['trace', 'abc'],
      ['tenant', 'acme'],
    ]);
  });

  it('auto-creates an unknown topic with the default partition count', async () => {
    // Prepare
    const producer = await connectedProducer();
    // Act
    await producer.send({ topic: 'brand-new', messages: [{ value: 'hello' }] });
    // Assess
    expect(broker.context.topics.get('brand-new')!.partitions).toHaveLength(2);
  });

  it('refuses a batch above the topic max.message.bytes with MESSAGE_TOO_LARGE', async () => {
    // Prepare
    await broker.context.topics.create('small-messages', 1, { 'max.message.bytes': '300' });
    const producer = await connectedProducer();
    // Act
    const sending = producer.send({ topic: 'small-messages', messages: [{ value: 'x'.repeat(400) }] });
    // Assess
    await expect(sending).rejects.toMatchObject({ type: 'MESSAGE_TOO_LARGE' });
    expect(broker.context.topics.partition('small-messages', 0)!.logEndOffset).toBe(0);
  });

  it('deduplicates an idempotent kafkajs producer and keeps its sequences', async () => {
    // Prepare
    await broker.context.topics.create('exactly-once', 1);
    const producer = await connectedProducer({ idempotent: true, maxInFlightRequests: 1 });
    // Act
    const results = [];
    for (let i = 0; i < 5; i++) results.push(...(await producer.send({ topic: 'exactly-once', acks: -1, messages: [{ value: `m${i}a` }, { value: `m${i}b` }] })));
    // Assess
    expect(results.map((r) => r.baseOffset)).toEqual(['0', '2', '4', '6', '8']);
    const batches = await stored('exactly-once', 0);
    expect(batches.map((b) => [b.header.producerId >= 0, b.header.baseSequence])).toEqual([
      [true, 0],
      [true, 2],
      [true, 4],
      [true, 6],
      [true, 8],
    ]);
  });
});

describe('Produce over the wire', () => {
  it('refuses a batch whose CRC does not match with CORRUPT_MESSAGE and keeps the connection', async () => {
    // Prepare
    await broker.context.topics.create('checked', 1);
    const batch = encodeRecordBatch({ records: [{ key: 'k', value: 'original', timestamp }] });
    batch[batch.length - 2] = batch[batch.length - 2]! ^ 0xff;
    // Act
    const result = await produceBatch(raw, 'checked', 0, batch);
    const afterwards = await produceBatch(raw, 'checked', 0, encodeRecordBatch({ records: [{ value: 'fine', timestamp }] }));
    // Assess
    expect(result).toMatchObject({ errorCode: ErrorCode.CORRUPT_MESSAGE, baseOffset: '-1' });
    expect(afterwards).toMatchObject({ errorCode: 0, baseOffset: '0' });
    expect(raw.closedYet).toBe(false);
    expect(broker.logLines.filter((line) => line.message === 'produce rejected')).toHaveLength(1);
  });

  it('answers UNSUPPORTED_COMPRESSION_TYPE for snappy, lz4 and zstd batches', async () => {
    // Prepare
    await broker.context.topics.create('codecs', 1);
    const withCodec = (codec: number) => {
      const batch = encodeRecordBatch({ records: [{ value: 'v', timestamp }] });
      batch.writeInt16BE(codec, batchField.attributes);
      batch.writeUInt32BE(computeBatchCrc(batch), batchField.crc);
      return batch;
    };
    // Act
    const results = [];
    for (const codec of [2, 3, 4]) results.push(await produceBatch(raw, 'codecs', 0, withCodec(codec)));
    // Assess
    expect(results.map((r) => r.errorCode)).toEqual([76, 76, 76]);
    expect(broker.context.topics.partition('codecs', 0)!.logEndOffset).toBe(0);
  });

  it('answers per partition: unknown partition, invalid topic name, and success side by side', async () => {
    // Prepare
    await broker.context.topics.create('mixed', 1);
    const batch = encodeRecordBatch({ records: [{ value: 'v', timestamp }] });
    // Act
    const results = await produceRaw(raw, {
      topics: [
        { name: 'mixed', partitions: [{ index: 0, records: batch }, { index: 5, records: batch }] },
        { name: 'bad/name', partitions: [{ index: 0, records: batch }] },
      ],
    });
    // Assess
    expect(results.map((r) => [r.partition, r.errorCode])).toEqual([
      [0, 0],
      [5, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
      [0, ErrorCode.INVALID_TOPIC_EXCEPTION],
    ]);
  });

  it('answers UNKNOWN_TOPIC_OR_PARTITION for an unknown topic when auto-creation is off', async () => {
    // Prepare
    const strict = await startTestBroker({ autoCreateTopics: false });
    const client = await RawKafkaClient.connect(strict.bootstrap);
    cleanups.push(async () => {
      await client.close();
      await strict.close();
    });
    // Act
    const result = await produceBatch(client, 'nope', 0, encodeRecordBatch({ records: [{ value: 'v', timestamp }] }));
    // Assess
    expect(result.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    expect(strict.context.topics.get('nope')).toBeUndefined();
  });

  it('answers INVALID_REQUIRED_ACKS for acks other than 0, 1, -1 and refuses transactions', async () => {
    // Prepare
    await broker.context.topics.create('acks', 1);
    const batch = encodeRecordBatch({ records: [{ value: 'v', timestamp }] });
    // Act
    const badAcks = await produceBatch(raw, 'acks', 0, batch, { acks: 2 });
    const transactional = await produceBatch(raw, 'acks', 0, batch, { transactionalId: 'tx-1' });
    const transactionalBit = await produceBatch(raw, 'acks', 0, encodeRecordBatch({ records: [{ value: 'v', timestamp }], transactional: true, producerId: 5, producerEpoch: 0, baseSequence: 0 }));
    // Assess
    expect(badAcks.errorCode).toBe(ErrorCode.INVALID_REQUIRED_ACKS);
    expect(transactional.errorCode).toBe(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
    expect(transactionalBit.errorCode).toBe(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
    expect(broker.context.topics.partition('acks', 0)!.logEndOffset).toBe(0);
  });

  it('appends every batch of a multi-batch blob and answers the first base offset', async () => {
    // Prepare
    await broker.context.topics.create('multi', 1);
    const blob = Buffer.concat([
      encodeRecordBatch({ records: [{ value: 'a', timestamp }, { value: 'b', timestamp }] }),
      encodeRecordBatch({ records: [{ value: 'c', timestamp }] }),
    ]);
    await produceBatch(raw, 'multi', 0, encodeRecordBatch({ records: [{ value: 'before', timestamp }] }));
    // Act
    const result = await produceBatch(raw, 'multi', 0, blob);
    // Assess
    expect(result).toMatchObject({ errorCode: 0, baseOffset: '1' });
    expect(broker.context.topics.partition('multi', 0)!.logEndOffset).toBe(4);
  });

  it('answers a retried idempotent batch with its first offset, and refuses gaps and old epochs', async () => {
    // Prepare
    await broker.context.topics.create('idempotent', 1);
    const batch = (baseSequence: number, producerEpoch = 1) =>
      encodeRecordBatch({ records: [{ value: `s${baseSequence}`, timestamp }, { value: 'x', timestamp }], producerId: 77, producerEpoch, baseSequence });
    // Act
    const first = await produceBatch(raw, 'idempotent', 0, batch(0));
    const second = await produceBatch(raw, 'idempotent', 0, batch(2));
    const retryOfFirst = await produceBatch(raw, 'idempotent', 0, batch(0));
    const gap = await produceBatch(raw, 'idempotent', 0, batch(9));
    const oldEpoch = await produceBatch(raw, 'idempotent', 0, batch(4, 0));
    // Assess
    expect([first, second, retryOfFirst].map((r) => [r.errorCode, r.baseOffset])).toEqual([
      [0, '0'],
      [0, '2'],
      [0, '0'],
    ]);
    expect(gap.errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(oldEpoch.errorCode).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    expect(broker.context.topics.partition('idempotent', 0)!.logEndOffset).toBe(4);
  });

  it('stores the batch byte for byte as sent (only baseOffset differs), in memory and on disk', async () => {
    // Prepare: a header maxTimestamp that understates the records' newest timestamp must survive too
    const dataDir = await mkdtemp(join(tmpdir(), 'local-msk-produce-'));
    const onDisk = await startTestBroker({ dataDir });
    const diskClient = await RawKafkaClient.connect(onDisk.bootstrap);
    cleanups.push(async () => {
      await diskClient.close();
      await onDisk.close();
      await rm(dataDir, { recursive: true, force: true });
    });
    const sent = encodeRecordBatch({ records: [{ value: 'a', timestamp }, { value: 'b', timestamp: timestamp + 30 }] });
    sent.writeBigInt64BE(BigInt(timestamp + 1), batchField.maxTimestamp);
    sent.writeUInt32BE(computeBatchCrc(sent), batchField.crc);
    await broker.context.topics.create('exact', 1);
    await onDisk.context.topics.create('exact', 1);
    await produceBatch(raw, 'exact', 0, encodeRecordBatch({ records: [{ value: 'first', timestamp }] }));
    await produceBatch(diskClient, 'exact', 0, encodeRecordBatch({ records: [{ value: 'first', timestamp }] }));
    // Act
    await produceBatch(raw, 'exact', 0, sent);
    await produceBatch(diskClient, 'exact', 0, sent);
    const [inMemory] = await broker.context.topics.partition('exact', 0)!.read(1, 1);
    const [onFile] = await onDisk.context.topics.partition('exact', 0)!.read(1, 1);
    // Assess
    for (const stored of [inMemory!, onFile!]) {
      expect(stored.readBigInt64BE(0)).toBe(1n);
      expect(stored.subarray(8).equals(sent.subarray(8))).toBe(true);
    }
  });

  it('answers every supported version, with log_start_offset from v5', async () => {
    // Prepare
    await broker.context.topics.create('versions', 1);
    // Act
    const results = [];
    for (const version of [3, 4, 5, 6, 7]) {
      const [result] = await produceRaw(raw, { topics: [{ name: 'versions', partitions: [{ index: 0, records: encodeRecordBatch({ records: [{ value: 'v', timestamp }] }) }] }] }, version);
      results.push(result!);
    }
    // Assess
    expect(results.map((r) => [r.errorCode, r.baseOffset, r.logStartOffset])).toEqual([
      [0, '0', undefined],
      [0, '1', undefined],
      [0, '2', '0'],
      [0, '3', '0'],
      [0, '4', '0'],
    ]);
  });

  it('accepts RecordBatch v2 over Produce v0-v2 and refuses the legacy MessageSet with UNSUPPORTED_FOR_MESSAGE_FORMAT', async () => {
    // Prepare: kafkajs's own v0-v2 encoders write MessageSet v0/v1 record sets
    await broker.context.topics.create('legacy', 1);
    const legacyArgs = (version: number) => ({
      acks: -1,
      timeout: 1000,
      topicData: [{ topic: 'legacy', partitions: [{ partition: 0, messages: [{ key: 'k', value: `v${version}` }] }] }],
    });
    // Act
    const legacy = [];
    for (const version of [0, 1, 2]) {
      const decoded = await kafkajsRequestOver(raw, 'produce', version, legacyArgs(version));
      legacy.push(decoded.topics[0].partitions[0].errorCode);
    }
    const modern = [];
    for (const version of [0, 1, 2]) {
      const body = new Writer()
        .int16(-1)
        .int32(1000)
        .array(['legacy'], (w, name) => w.string(name).array([0], (p, index) => p.int32(index).bytes(encodeRecordBatch({ records: [{ value: `modern-${version}`, timestamp }] }))))
        .toBuffer();
      const reply = new Reader(await raw.send(ApiKey.Produce, version, body));
      const [partitions] = reply.array((t) => (t.string(), t.array((p) => ({ index: p.int32(), errorCode: p.int16(), baseOffset: p.int64() }))));
      modern.push(partitions![0]);
    }
    // Assess
    expect(legacy).toEqual(Array(3).fill(ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT));
    expect(modern).toEqual([0, 1, 2].map((offset) => ({ index: 0, errorCode: 0, baseOffset: offset })));
    expect(broker.context.topics.partition('legacy', 0)!.logEndOffset).toBe(3);
  });

  it('closes the connection with one log line when the request itself cannot be decoded', async () => {
    // Prepare: the records length claims more bytes than the frame holds
    const body = produceBody({ topics: [{ name: 'any', partitions: [{ index: 0, records: Buffer.alloc(8) }] }] });
    body.writeInt32BE(1000, body.length - 12);
    const warningsBefore = broker.logLines.filter((line) => line.level !== 'info').length;
    // Act
    const answer = raw.send(ApiKey.Produce, 7, body);
    await raw.closed;
    // Assess
    await expect(answer).rejects.toThrow(/closed/);
    const warnings = broker.logLines.filter((line) => line.level !== 'info').slice(warningsBefore);
    expect(warnings.map((line) => line.message)).toEqual(['malformed request']);
    expect(broker.context.topics.get('any')).toBeUndefined();
  });

  it('answers null records and a truncated batch per partition without closing the connection', async () => {
    // Prepare
    await broker.context.topics.create('broken', 1);
    const batch = encodeRecordBatch({ records: [{ value: 'v', timestamp }] });
    // Act
    const nullRecords = await produceBatch(raw, 'broken', 0, null as unknown as Buffer);
    const truncated = await produceBatch(raw, 'broken', 0, batch.subarray(0, batch.length - 5));
    // Assess
    expect(nullRecords.errorCode).toBe(ErrorCode.INVALID_RECORD);
    expect(truncated.errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
    expect(raw.closedYet).toBe(false);
  });
});
