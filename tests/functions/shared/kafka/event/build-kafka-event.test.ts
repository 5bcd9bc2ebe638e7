import type { KafkaMessage } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildKafkaEvent, type KafkaRecordInput } from '../../../../../functions/shared/kafka/event/build-kafka-event.js';
import type { DecodedKafkaRecord } from '../../../../../functions/shared/kafka/event/kafka-event-types.js';
import { parseKafkaEvent } from '../../../../../functions/shared/kafka/event/parse-kafka-event.js';
import { kafkaClient, startTestBroker, type TestBroker } from '../../../../helpers/broker.js';
import { sampleLogRecord } from '../../../../helpers/kafka-events.js';

/** A consumed kafkajs message as the event-source mapping would hand it to buildKafkaEvent. */
function toRecordInput(topic: string, partition: number, message: KafkaMessage): KafkaRecordInput {
  const headers = Object.entries(message.headers ?? {}).flatMap(([key, value]) =>
    (Array.isArray(value) ? value : [value]).map((each) => ({ key, value: each === undefined ? null : Buffer.from(each) })),
  );
  return { topic, partition, offset: Number(message.offset), timestamp: Number(message.timestamp), key: message.key, value: message.value, headers };
}

describe('buildKafkaEvent → parseKafkaEvent with records that went through the local MSK', () => {
  let broker: TestBroker;

  beforeAll(async () => {
    broker = await startTestBroker({ controlPlanePort: 0 });
  });

  afterAll(async () => {
    await broker?.close();
  });

  it('reproduces every key, value, header, partition and offset a consumer saw', async () => {
    // Prepare
    const topic = 'build-event-logs';
    const kafka = kafkaClient(broker);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: [
        { partition: 0, key: 'auth-service', value: JSON.stringify(sampleLogRecord(0)), headers: { 'x-anomaly-label': 'none' } },
        { partition: 1, key: null, value: JSON.stringify(sampleLogRecord(1)), headers: { 'x-anomaly-label': 'anomaly', trace: Buffer.from([0, 255, 7]) } },
        { partition: 1, key: 'tombstone', value: null },
      ],
    });
    await producer.disconnect();
    const consumed: KafkaRecordInput[] = [];
    const consumer = kafka.consumer({ groupId: 'build-event-test' });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            consumed.push(toRecordInput(topic, partition, message));
            if (consumed.length === 3) resolve();
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();

    // Act
    const event = buildKafkaEvent({ eventSource: 'aws:kafka', eventSourceArn: broker.clusterArn, bootstrapServers: [broker.bootstrap] }, consumed);
    const parsed = parseKafkaEvent(JSON.parse(JSON.stringify(event)));

    // Assess
    expect(Object.keys(event.records).sort()).toEqual([`${topic}-0`, `${topic}-1`]);
    expect(parsed.eventSourceArn).toBe(broker.clusterArn);
    expect(parsed.bootstrapServers).toEqual([broker.bootstrap]);
    const records = parsed.records as DecodedKafkaRecord[];
    expect(records.map((record) => [record.ok, record.partition, record.offset])).toEqual([
      [true, 0, '0'],
      [true, 1, '0'],
      [true, 1, '1'],
    ]);
    expect(records[0]!.key?.toString()).toBe('auth-service');
    expect(JSON.parse(records[1]!.value!.toString())).toEqual(sampleLogRecord(1));
    expect(records[1]!.key).toBeNull();
    expect(records[1]!.headers).toEqual([
      { key: 'x-anomaly-label', value: Buffer.from('anomaly') },
      { key: 'trace', value: Buffer.from([0, 255, 7]) },
    ]);
    expect(records[2]!.value).toBeNull();
    expect(records.every((record) => record.timestamp > 0 && record.timestampType === 'CREATE_TIME')).toBe(true);
  });

  it('refuses to build an aws:kafka event without the cluster ARN', () => {
    // Act / Assess
    expect(() => buildKafkaEvent({ eventSource: 'aws:kafka', bootstrapServers: [] }, [])).toThrow('an aws:kafka event needs the cluster ARN');
  });
});
