import type { Admin, Kafka, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetricsAggregator, type LagSampling } from '../../../functions/metrics-aggregator/index.js';
import type { KafkaRecordInput } from '../../../functions/shared/kafka/index.js';
import { MetricsEmitter } from '../../../functions/shared/metrics/index.js';
import { kafkaClient, startTestBroker, type TestBroker } from '../../helpers/broker.js';
import { commitGroupOffsets } from '../../helpers/commit-offsets.js';
import { mskEvent } from '../../helpers/kafka-events.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';
import { readTopicRecords } from '../../helpers/topic-records.js';

interface LagRow {
  experiment_id: string | null;
  consumer_id: string;
  partition: number;
  current_offset: string;
  log_end_offset: string;
  lag: string;
  timestamp: Date;
}

/** Records per partition of the logs topic: log end offsets 5, 7 and 3. */
const perPartition = [5, 7, 3];

describe('metrics aggregator: consumer lag from the Kafka admin API', () => {
  let broker: TestBroker;
  let kafka: Kafka;
  let producer: Producer;
  let admin: Admin;
  let db: TestDatabase;
  const logsTopic = 'logs-lag';
  const metricsTopic = 'metrics-lag';

  beforeAll(async () => {
    [broker, db] = await Promise.all([startTestBroker(), createTestDatabase()]);
    kafka = kafkaClient(broker);
    producer = kafka.producer();
    admin = kafka.admin();
    await Promise.all([producer.connect(), admin.connect()]);
    await admin.createTopics({ topics: [{ topic: logsTopic, numPartitions: 3 }, { topic: 'unrelated', numPartitions: 1 }] });
    for (const [partition, count] of perPartition.entries()) {
      await producer.send({ topic: logsTopic, messages: Array.from({ length: count }, (_, i) => ({ partition, value: `log ${partition}/${i}` })) });
    }
    await producer.send({ topic: 'unrelated', messages: [{ value: 'x' }] });

    // Prepare the groups: detector-a committed on partitions 0 and 1 only; detector-b read everything
    // with a real consumer; only-unrelated committed on another topic.
    await commitGroupOffsets(kafka, 'detector-a', logsTopic, [{ partition: 0, offset: 2 }, { partition: 1, offset: 7 }]);
    await commitGroupOffsets(kafka, 'only-unrelated', 'unrelated', [{ partition: 0, offset: 1 }]);
    await consumeEverything('detector-b', perPartition.reduce((a, b) => a + b, 0));
  });

  afterAll(async () => {
    await Promise.all([producer?.disconnect(), admin?.disconnect()]);
    await broker?.close();
    await db?.drop();
  });

  async function consumeEverything(groupId: string, count: number): Promise<void> {
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: logsTopic, fromBeginning: true });
    let seen = 0;
    await new Promise<void>((resolve, reject) => {
      consumer.run({ eachMessage: async () => void (++seen >= count && resolve()) }).catch(reject);
    });
    await consumer.disconnect(); // commits the offsets it has resolved
  }

  /** One metric record sent by the real emitter and read back as the event-source mapping would deliver it. */
  async function metricBatch(count: number, experimentId: string | null): Promise<KafkaRecordInput[]> {
    const emitter = new MetricsEmitter({ producer, topic: metricsTopic, componentType: 'detector', componentId: 'detector-1', experimentId });
    emitter.recordMetric('records.processed', count, 'Count');
    await emitter.flush();
    return (await readTopicRecords(kafka, metricsTopic, count)).slice(-1);
  }

  function aggregator(lag: Partial<LagSampling> = {}) {
    const lines: Record<string, unknown>[] = [];
    const instance = createMetricsAggregator({
      db: db.pool,
      experimentId: 'exp-from-env',
      lag: { admin, topics: [logsTopic], groups: null, maxGroups: 50, ...lag },
      log: (line) => lines.push(line),
    });
    return { instance, lines };
  }

  async function lagRows(timestamp: number): Promise<LagRow[]> {
    const result = await db.pool.query<LagRow>(
      `SELECT experiment_id, consumer_id, partition, current_offset, log_end_offset, lag, "timestamp" FROM consumer_lag
       WHERE topic = $1 AND "timestamp" = $2 ORDER BY consumer_id, partition`,
      [logsTopic, new Date(timestamp)],
    );
    return result.rows;
  }

  const row = (consumer: string, partition: number, current: number, end: number, lag: number) => ({
    consumer_id: consumer, partition, current_offset: String(current), log_end_offset: String(end), lag: String(lag),
  });

  it('samples every group with commits on the logs topic, per partition, stamped with the newest record time; redelivery adds nothing', async () => {
    // Prepare
    const records = await metricBatch(1, 'exp-lag');
    const event = mskEvent(records);
    const { instance, lines } = aggregator();

    // Act
    const first = await instance.handle(event);
    const second = await instance.handle(event);

    // Assess: lag = log end − committed; a partition without a commit: -1 and log end − log start
    expect(first).toMatchObject({ records: 1, metricsStored: 1, lagSamples: 6, lagDuplicates: 0 });
    expect(second).toMatchObject({ metricsStored: 0, duplicates: 1, lagSamples: 0, lagDuplicates: 6 });
    const rows = await lagRows(records[0]!.timestamp);
    expect(rows.map(({ consumer_id, partition, current_offset, log_end_offset, lag }) => ({ consumer_id, partition, current_offset, log_end_offset, lag }))).toEqual([
      row('detector-a', 0, 2, 5, 3),
      row('detector-a', 1, 7, 7, 0),
      row('detector-a', 2, -1, 3, 3),
      row('detector-b', 0, 5, 5, 0),
      row('detector-b', 1, 7, 7, 0),
      row('detector-b', 2, 3, 3, 0),
    ]);
    expect(rows.every((lag) => lag.experiment_id === 'exp-lag')).toBe(true);
    const total = await db.pool.query('SELECT count(*)::int AS n FROM consumer_lag');
    expect(total.rows[0].n).toBe(6);
    expect(lines[0]).toMatchObject({ lagSamples: 6, lagGroups: 2, lagTimestamp: new Date(records[0]!.timestamp).toISOString() });
  });

  it('a later batch takes a new sample that follows the group', async () => {
    // Prepare: detector-a catches up on partition 0 after the first sample
    const earlier = await metricBatch(2, null);
    const { instance } = aggregator({ groups: ['detector-a'] });
    await instance.handle(mskEvent(earlier));
    await commitGroupOffsets(kafka, 'detector-a', logsTopic, [{ partition: 0, offset: 5 }]);
    const later = await metricBatch(3, null);

    // Act
    const summary = await instance.handle(mskEvent(later));

    // Assess: lag rows of the two samples; no metric record names an experiment, so EXPERIMENT_ID is used
    expect(summary.lagSamples).toBe(3);
    expect(later[0]!.timestamp).toBeGreaterThan(earlier[0]!.timestamp);
    const before = await lagRows(earlier[0]!.timestamp);
    const after = await lagRows(later[0]!.timestamp);
    expect(before.find((lag) => lag.partition === 0)).toMatchObject(row('detector-a', 0, 2, 5, 3));
    expect(after.find((lag) => lag.partition === 0)).toMatchObject(row('detector-a', 0, 5, 5, 0));
    expect(after.every((lag) => lag.experiment_id === 'exp-from-env')).toBe(true);
  });

  it('configured groups are sampled even without commits (current_offset -1); others are not', async () => {
    // Prepare
    const records = await metricBatch(4, null);
    const { instance } = aggregator({ groups: ['never-consumed', 'detector-b'] });

    // Act
    await instance.handle(mskEvent(records));

    // Assess
    const rows = await lagRows(records[0]!.timestamp);
    expect(rows.map(({ consumer_id, partition, current_offset, log_end_offset, lag }) => ({ consumer_id, partition, current_offset, log_end_offset, lag }))).toEqual([
      row('detector-b', 0, 5, 5, 0),
      row('detector-b', 1, 7, 7, 0),
      row('detector-b', 2, 3, 3, 0),
      row('never-consumed', 0, -1, 5, 5),
      row('never-consumed', 1, -1, 7, 7),
      row('never-consumed', 2, -1, 3, 3),
    ]);
  });

  it('discovery examines at most maxGroups groups (the first by id) and says how many it left out', async () => {
    // Prepare
    const records = await metricBatch(5, null);
    const { instance, lines } = aggregator({ maxGroups: 1 });

    // Act
    await instance.handle(mskEvent(records));

    // Assess
    expect(new Set((await lagRows(records[0]!.timestamp)).map((lag) => lag.consumer_id))).toEqual(new Set(['detector-a']));
    expect(lines[0]!.lagGroupsLeftOut).toBeGreaterThanOrEqual(2);
  });

  it('a lag topic the cluster does not have is reported and not created', async () => {
    // Prepare
    const records = await metricBatch(6, null);
    const { instance, lines } = aggregator({ topics: ['never-created'] });

    // Act
    const summary = await instance.handle(mskEvent(records));

    // Assess
    expect(summary).toMatchObject({ metricsStored: 1, lagSamples: 0 });
    expect(lines[0]).toMatchObject({ lagTopicsMissing: ['never-created'] });
    expect(await admin.listTopics()).not.toContain('never-created');
  });

  it('a batch with no record timestamp takes no sample (its sample time would not be repeatable)', async () => {
    // Prepare
    const [record] = await metricBatch(7, null);
    const { instance, lines } = aggregator();

    // Act
    const summary = await instance.handle(mskEvent([{ ...record!, timestamp: -1, timestampType: 'NO_TIMESTAMP_TYPE' }]));

    // Assess
    expect(summary).toMatchObject({ metricsStored: 1, lagSamples: 0 });
    expect(lines[0]!.lag).toMatch(/^skipped: no record of the batch has a timestamp/);
  });
});
