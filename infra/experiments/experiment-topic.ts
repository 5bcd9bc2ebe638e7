import type { Kafka } from 'kafkajs';

/** The experiment's own topic: never the pipeline's `logs`, so a running stack is not disturbed. */
export function experimentTopic(experimentId: string): string {
  return `logs.exp.${experimentId}`;
}

/** (Re)creates `topic` with `partitions` partitions (an existing one is deleted first). */
export async function recreateTopic(kafka: Kafka, topic: string, partitions: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = await admin.listTopics();
    if (existing.includes(topic)) await admin.deleteTopics({ topics: [topic], timeout: 10_000 });
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: -1 }], waitForLeaders: true, timeout: 10_000 });
  } finally {
    await admin.disconnect();
  }
}

/** Deletes `topic` (its records and the group's offsets on it); best effort. */
export async function deleteTopic(kafka: Kafka, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics: [topic], timeout: 10_000 });
  } finally {
    await admin.disconnect();
  }
}
