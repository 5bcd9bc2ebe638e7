import { afterEach, describe, expect, it } from 'vitest';
import { encodeRecordBatch } from '../../../../infra/local-msk/protocol/record-batch/index.js';
import { kafkaClient } from '../../../helpers/broker.js';
import { waitFor } from '../../../helpers/wait-for.js';
import { produceBatch } from '../broker/handlers/data-wire.js';
import { BrokerProcess, fetchFrom, latestOffset, produceWithoutAnswer } from './broker-process.js';

const timestamp = 1_700_000_000_000;
const batchOf = (...values: string[]) => encodeRecordBatch({ records: values.map((value) => ({ value, timestamp })) });

/**
 * Consumers never see a record a crash can take back: a batch whose write has not reached
 * stable storage is not served by Fetch, not counted by ListOffsets(latest) or the fetch high
 * watermark, and after `kill -9` its offsets are simply reused. The test-only fault hook holds
 * the partition's second write forever, so "not yet durable" lasts as long as the test needs.
 */
describe('only durable records are visible (real broker process, kill -9)', () => {
  const broker = new BrokerProcess('file');

  afterEach(async () => {
    await broker.cleanUp();
  });

  it('serves and reports only what is on disk, and a crash takes back nothing anyone saw', async () => {
    // Prepare: the partition's first batch is written; the write after it hangs
    const durable = batchOf('durable-0');
    await broker.start([], { LOCAL_MSK_TEST_STORAGE_FAULTS: `visible-0=hang@${durable.length}` });
    const admin = kafkaClient(broker).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'visible', numPartitions: 1 }] });
    await admin.disconnect();
    const client = await broker.connect();
    const stored = await produceBatch(client, 'visible', 0, durable, { acks: -1 });

    // Act: an acks=0 batch is appended (requests on one connection are handled in order), its write never completes
    produceWithoutAnswer(client, 'visible', batchOf('held-1', 'held-2'));
    const latestWhileHeld = await latestOffset(client, 'visible');
    const fromStart = await fetchFrom(client, 'visible', 0);
    const pastVisible = await fetchFrom(client, 'visible', 2);

    // Assess: nothing of the held batch is served or counted; an offset inside it is valid and empty
    expect(stored).toMatchObject({ errorCode: 0, baseOffset: '0' });
    expect(latestWhileHeld).toBe(1);
    expect(fromStart).toEqual({ errorCode: 0, highWatermark: 1, records: [[0, 'durable-0']] });
    expect(pastVisible).toEqual({ errorCode: 0, highWatermark: 1, records: [] });

    // Act: ask again once the held write has surely begun (should requests on a connection ever run concurrently)
    await waitFor('the held write', () => broker.stderr().includes('TEST-ONLY storage fault injected'));
    const latestOnceHeld = await latestOffset(client, 'visible');
    const fromStartOnceHeld = await fetchFrom(client, 'visible', 0);

    // Assess
    expect(latestOnceHeld).toBe(1);
    expect(fromStartOnceHeld).toEqual(fromStart);

    // Act: crash, restart without faults, produce again
    await broker.kill();
    await broker.start();
    const after = await broker.connect();
    const latestAfterRestart = await latestOffset(after, 'visible');
    const next = await produceBatch(after, 'visible', 0, batchOf('after-restart'), { acks: -1 });
    const everything = await fetchFrom(after, 'visible', 0);

    // Assess: the log ends where consumers were told it ended; the lost offsets are reused by new data nobody saw before
    expect(latestAfterRestart).toBe(1);
    expect(next).toMatchObject({ errorCode: 0, baseOffset: '1' });
    expect(everything).toEqual({ errorCode: 0, highWatermark: 2, records: [[0, 'durable-0'], [1, 'after-restart']] });
  });
});
