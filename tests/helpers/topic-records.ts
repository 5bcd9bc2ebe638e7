import { randomBytes } from 'node:crypto';
import type { IHeaders, Kafka } from 'kafkajs';
import type { KafkaRecordInput } from '../../functions/shared/kafka/event/build-kafka-event.js';

/**
 * Reads `count` records of a topic from the beginning with a throwaway consumer group and returns
 * them as event-builder input (exact topic, partition, offset, timestamp, key, value, headers),
 * sorted by partition and offset — what the event-source mapping would deliver for them.
 * The throwaway group commits offsets on `topic`, so do not read a topic whose lag a test samples.
 */
export async function readTopicRecords(kafka: Kafka, topic: string, count: number, timeoutMs = 20_000): Promise<KafkaRecordInput[]> {
  const consumer = kafka.consumer({ groupId: `read-back-${randomBytes(4).toString('hex')}`, maxWaitTimeInMs: 100 });
  const records: KafkaRecordInput[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read ${records.length} of ${count} records of ${topic}`)), timeoutMs);
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            records.push({
              topic,
              partition,
              offset: Number(message.offset),
              timestamp: Number(message.timestamp),
              key: message.key,
              value: message.value,
              headers: headerList(message.headers),
            });
            if (records.length >= count) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return records.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}

function headerList(headers: IHeaders | undefined): { key: string; value: Buffer | string | null }[] {
  const list: { key: string; value: Buffer | string | null }[] = [];
  for (const [key, value] of Object.entries(headers ?? {})) {
    for (const one of Array.isArray(value) ? value : [value]) list.push({ key, value: one ?? null });
  }
  return list;
}
