import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../../infra/local-msk/protocol/error-codes.js';
import { encodeRecordBatch } from '../../../../infra/local-msk/protocol/record-batch/index.js';
import type { RawKafkaClient } from '../../../helpers/raw-kafka-client.js';
import { kafkaClient } from '../../../helpers/broker.js';
import { kafkajsRequestOver, produceBatch } from '../broker/handlers/data-wire.js';
import { BrokerProcess, fetchFrom } from './broker-process.js';

const timestamp = 1_700_000_000_000;

/**
 * An idempotent producer's sequence state survives a broker restart: a batch retried after
 * the restart (its first answer lost with the broker) is answered with its original offset and
 * not stored again, and sequence gaps are still refused. The state is rebuilt from the log
 * (producer snapshots written at segment rolls, plus the active segment).
 */
describe('idempotent producers across a broker restart (real broker process)', () => {
  const broker = new BrokerProcess('file');

  afterEach(async () => {
    await broker.cleanUp();
  });

  async function createTopic(topic: string): Promise<void> {
    const admin = kafkaClient(broker).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    await admin.disconnect();
  }

  /** A producer id from InitProducerId, as an idempotent client gets one. */
  async function initProducerId(client: RawKafkaClient): Promise<number> {
    const response = await kafkajsRequestOver(client, 'initProducerId', 0, { transactionalId: null, transactionTimeout: 30_000 });
    return Number(response.producerId);
  }

  /** Batch of `records` records starting at `baseSequence`, values "<tag>-<sequence>". */
  const idempotentBatch = (producerId: number, baseSequence: number, records = 2, tag = 'seq') =>
    encodeRecordBatch({
      records: Array.from({ length: records }, (_, i) => ({ value: `${tag}-${baseSequence + i}`, timestamp })),
      producerId,
      producerEpoch: 0,
      baseSequence,
    });

  it('answers a batch retried after kill -9 with its original offset and refuses a gap', async () => {
    // Prepare: two batches stored and acknowledged, then the broker dies
    await broker.start();
    await createTopic('retries');
    const before = await broker.connect();
    const producerId = await initProducerId(before);
    await produceBatch(before, 'retries', 0, idempotentBatch(producerId, 0), { acks: -1 });
    await produceBatch(before, 'retries', 0, idempotentBatch(producerId, 2), { acks: -1 });
    await broker.kill();
    await broker.start();
    const after = await broker.connect();

    // Act: the producer retries its last batch, then goes on; a batch from the future is a gap
    const retry = await produceBatch(after, 'retries', 0, idempotentBatch(producerId, 2), { acks: -1 });
    const next = await produceBatch(after, 'retries', 0, idempotentBatch(producerId, 4), { acks: -1 });
    const gap = await produceBatch(after, 'retries', 0, idempotentBatch(producerId, 9), { acks: -1 });
    const stored = await fetchFrom(after, 'retries', 0);

    // Assess
    expect(retry).toMatchObject({ errorCode: 0, baseOffset: '2' });
    expect(next).toMatchObject({ errorCode: 0, baseOffset: '4' });
    expect(gap.errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(stored.records.map(([, value]) => value)).toEqual(['seq-0', 'seq-1', 'seq-2', 'seq-3', 'seq-4', 'seq-5']);
  });

  it('recognises a retried batch that lies in a sealed segment, after a clean stop', async () => {
    // Prepare: 1 KiB segments; the producer's batch is followed by enough other data to roll several segments
    await broker.start(['--segment-bytes', '1024']);
    await createTopic('rolled');
    const before = await broker.connect();
    const producerId = await initProducerId(before);
    const first = await produceBatch(before, 'rolled', 0, idempotentBatch(producerId, 0, 3, 'kept'), { acks: -1 });
    for (let i = 0; i < 12; i++) {
      await produceBatch(before, 'rolled', 0, encodeRecordBatch({ records: [{ value: `filler-${i}`.padEnd(300, '.'), timestamp }] }), { acks: -1 });
    }
    await broker.stop();
    const segments = readdirSync(join(broker.dataDir!, 'logs', 'rolled-0')).filter((name) => name.endsWith('.log'));
    await broker.start(['--segment-bytes', '1024']);
    const after = await broker.connect();

    // Act
    const retry = await produceBatch(after, 'rolled', 0, idempotentBatch(producerId, 0, 3, 'kept'), { acks: -1 });
    const stored = await fetchFrom(after, 'rolled', 0);

    // Assess
    expect(segments.length).toBeGreaterThanOrEqual(3);
    expect(first).toMatchObject({ errorCode: 0, baseOffset: '0' });
    expect(retry).toMatchObject({ errorCode: 0, baseOffset: '0' });
    expect(stored.highWatermark).toBe(15);
    expect(stored.records.filter(([, value]) => value.startsWith('kept-'))).toHaveLength(3);
  });
});
