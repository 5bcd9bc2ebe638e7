import type { Kafka } from 'kafkajs';

/**
 * Commits the given offsets for `groupId` on `topic` the way a consumer does: a kafkajs consumer
 * joins the group, commits (OffsetCommit with its generation and member id) and leaves. Faster
 * than admin.setOffsets, which waits for a full fetch long-poll before it commits.
 */
export async function commitGroupOffsets(
  kafka: Kafka,
  groupId: string,
  topic: string,
  partitions: readonly { partition: number; offset: number }[],
): Promise<void> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 50 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: async () => undefined });
    await joined;
    await consumer.commitOffsets(partitions.map(({ partition, offset }) => ({ topic, partition, offset: String(offset) })));
  } finally {
    await consumer.disconnect();
  }
}
