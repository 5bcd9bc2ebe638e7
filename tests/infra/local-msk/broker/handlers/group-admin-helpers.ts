import type { Consumer, Kafka } from 'kafkajs';

/** Consumer settings that keep group tests quick (ms). */
export const quickGroupTimings = { sessionTimeout: 6000, heartbeatInterval: 500, rebalanceTimeout: 6000, maxWaitTimeInMs: 200 };

/** Creates `topic` with `partitions` partitions and produces `count` records "<topic>-<i>" round-robin over them. */
export async function topicWithRecords(kafka: Kafka, topic: string, partitions: number, count: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions }] });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: Array.from({ length: count }, (_, index) => ({ partition: index % partitions, value: `${topic}-${index}` })),
  });
  await producer.disconnect();
}

/**
 * Runs a consumer in `groupId` on `topic` from the beginning until it has seen `count`
 * records (auto-commit after every message); returns the consumer, still running.
 */
export async function consumeAll(kafka: Kafka, groupId: string, topic: string, count: number): Promise<{ consumer: Consumer; values: string[] }> {
  const consumer = kafka.consumer({ groupId, ...quickGroupTimings });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const values: string[] = [];
  await new Promise<void>((resolve, reject) => {
    if (count === 0) consumer.on(consumer.events.GROUP_JOIN, () => resolve());
    consumer
      .run({
        autoCommitThreshold: 1,
        eachMessage: async ({ message }) => {
          values.push(message.value!.toString());
          if (values.length === count) resolve();
        },
      })
      .catch(reject);
  });
  return { consumer, values };
}
