import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLogRecord } from '../../../../functions/shared/log/index.js';
import { LeanProducer } from '../../../../infra/bench/pipeline/lean-producer.js';
import { prepareRecords, producePaced } from '../../../../infra/bench/pipeline/paced-producer.js';
import { kafkaClient, startTestBroker, type TestBroker } from '../../../helpers/broker.js';
import { readTopicRecords } from '../../../helpers/topic-records.js';

describe("bench:pipeline's load generator against the local MSK", () => {
  let broker: TestBroker;
  let kafka: Kafka;

  beforeAll(async () => {
    broker = await startTestBroker();
    kafka = kafkaClient(broker);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'lean', numPartitions: 5 }, { topic: 'lean-missing-partition', numPartitions: 1 }] });
    await admin.disconnect();
  });

  afterAll(async () => {
    await broker?.close();
  });

  it('delivers every prepared record once, on the partition kafkajs would pick, with its key, value, header and send time', async () => {
    // Prepare
    const prepared = prepareRecords('lean-test', 600, 3_000, 5);
    const producer = await LeanProducer.connect(broker.bootstrap);
    const before = Date.now();

    // Act
    const result = await producePaced(producer, 'lean', prepared, 3_000);
    producer.close();
    const records = await readTopicRecords(kafka, 'lean', prepared.length);

    // Assess
    expect(result.sent).toBe(600);
    expect(records).toHaveLength(600);
    const byValue = new Map(records.map((record) => [(record.value as Buffer).toString('utf8'), record]));
    expect(byValue.size).toBe(600);
    for (const { partition, record } of prepared) {
      const stored = byValue.get((record.value as Buffer).toString('utf8'))!;
      expect(stored.partition).toBe(partition);
      expect((stored.key as Buffer).toString('utf8')).toBe(record.key);
      expect(stored.headers!.map((header) => [header.key, String(header.value)])).toEqual(record.headers!.map((header) => [header.key, String(header.value)]));
      expect(stored.timestamp).toBeGreaterThanOrEqual(before);
      expect(parseLogRecord(stored.value as Buffer).producerId).toBe('lean-test');
    }
    // Records keyed by service: one service's records all share a partition, in generation order.
    const services = new Map<string, Set<number>>();
    for (const record of records) services.set(String(record.key), (services.get(String(record.key)) ?? new Set()).add(record.partition));
    for (const partitions of services.values()) expect(partitions.size).toBe(1);
  });

  it('rejects a send the broker refuses, naming the partition and the error code', async () => {
    // Prepare: partition 3 does not exist on a one-partition topic.
    const producer = await LeanProducer.connect(broker.bootstrap);
    const records = new Map([[3, [{ key: 'k', value: Buffer.from('v'), headers: [] }]]]);

    // Act + Assess
    await expect(producer.send('lean-missing-partition', records, Date.now())).rejects.toThrow(/partition 3 failed with Kafka error code \d+/);
    producer.close();
  });

  it('refuses to connect to a port nothing listens on', async () => {
    await expect(LeanProducer.connect('127.0.0.1:1')).rejects.toThrow();
  });
});
