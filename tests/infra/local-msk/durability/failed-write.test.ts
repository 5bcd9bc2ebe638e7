import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeRecordBatch } from '../../../../infra/local-msk/protocol/record-batch/index.js';
import { kafkaClient } from '../../../helpers/broker.js';
import { produceBatch } from '../broker/handlers/data-wire.js';
import { BrokerProcess, fetchFrom, latestOffset } from './broker-process.js';

const timestamp = 1_700_000_000_000;
const batchOf = (...values: string[]) => encodeRecordBatch({ records: values.map((value) => ({ value, timestamp })) });
/** Kafka's KAFKA_STORAGE_ERROR. */
const kafkaStorageError = 56;

/**
 * A write that fails (here: the disk "fills up" part-way through a batch, injected with the
 * test-only fault hook in a real broker process) is answered KAFKA_STORAGE_ERROR and leaves no
 * phantom records: nothing of the batch is served, none of it is on disk, not even after a
 * crash and restart, and the partition goes on taking writes at the offsets the batch had.
 */
describe('a failed write (real broker process)', () => {
  const broker = new BrokerProcess('file');

  afterEach(async () => {
    await broker.cleanUp();
  });

  const segmentBytesOnDisk = () => {
    const directory = join(broker.dataDir!, 'logs', 'faulty-0');
    return readdirSync(directory)
      .filter((name) => name.endsWith('.log'))
      .reduce((total, name) => total + statSync(join(directory, name)).size, 0);
  };

  it('is answered KAFKA_STORAGE_ERROR, never served, cut from the disk, and the partition writes on', async () => {
    // Prepare: the disk fills 25 bytes into the partition's second batch
    const first = batchOf('first');
    const refused = batchOf('refused-1', 'refused-2', 'refused-3');
    const later = batchOf('later');
    await broker.start([], { LOCAL_MSK_TEST_STORAGE_FAULTS: `faulty-0=fail@${first.length + 25}` });
    const admin = kafkaClient(broker).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'faulty', numPartitions: 1 }] });
    await admin.disconnect();
    const client = await broker.connect();
    await produceBatch(client, 'faulty', 0, first, { acks: -1 });

    // Act
    const failed = await produceBatch(client, 'faulty', 0, refused, { acks: -1 });
    const servedAfterFailure = await fetchFrom(client, 'faulty', 0);
    const latestAfterFailure = await latestOffset(client, 'faulty');
    const bytesAfterFailure = segmentBytesOnDisk();
    const next = await produceBatch(client, 'faulty', 0, later, { acks: -1 });

    // Assess
    expect(failed).toMatchObject({ errorCode: kafkaStorageError, baseOffset: '-1' });
    expect(servedAfterFailure).toEqual({ errorCode: 0, highWatermark: 1, records: [[0, 'first']] });
    expect(latestAfterFailure).toBe(1);
    expect(bytesAfterFailure).toBe(first.length);
    expect(next).toMatchObject({ errorCode: 0, baseOffset: '1' });
    expect(broker.stderr()).toMatch(/partition write failed.*partition="faulty-0"/);

    // Act: crash and restart without faults
    await broker.kill();
    await broker.start();
    const everything = await fetchFrom(await broker.connect(), 'faulty', 0);

    // Assess: exactly the acknowledged batches, with nothing for recovery to cut
    expect(everything).toEqual({ errorCode: 0, highWatermark: 2, records: [[0, 'first'], [1, 'later']] });
    expect(segmentBytesOnDisk()).toBe(first.length + later.length);
    expect(broker.stderr()).not.toMatch(/truncat/i);
  });

  it('lets a kafkajs producer succeed by retrying, without duplicates', async () => {
    // Prepare: the first write to the partition fails outright
    await broker.start([], { LOCAL_MSK_TEST_STORAGE_FAULTS: 'retried-0=fail@0' });
    const kafka = kafkaClient(broker, { retry: { retries: 5, initialRetryTime: 50 } });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'retried', numPartitions: 1 }] });
    await admin.disconnect();
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();

    // Act
    const [sent] = await producer.send({ topic: 'retried', acks: -1, messages: [{ value: 'once' }, { value: 'twice' }] });
    await producer.disconnect();
    const stored = await fetchFrom(await broker.connect(), 'retried', 0);

    // Assess
    expect(sent).toMatchObject({ errorCode: 0, baseOffset: '0' });
    expect(stored.records).toEqual([[0, 'once'], [1, 'twice']]);
    expect(broker.stderr()).toContain('TEST-ONLY storage fault injected');
  });
});
