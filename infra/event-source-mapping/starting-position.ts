import type { Admin } from 'kafkajs';
import type { MappingDefinition } from './mapping-definition.js';

/**
 * AT_TIMESTAMP on a group that has committed nothing for the topic: commits, per partition, the
 * first offset whose record timestamp is ≥ the starting timestamp (the log end when none is), so
 * the group's members start there. A group with commits keeps them (a restart resumes).
 */
export async function applyStartingTimestamp(admin: Admin, definition: MappingDefinition): Promise<void> {
  if (definition.startingPositionTimestampMs === null) return;
  const [committed] = await admin.fetchOffsets({ groupId: definition.consumerGroupId, topics: [definition.topic] });
  const hasCommits = (committed?.partitions ?? []).some((partition) => Number(partition.offset) >= 0);
  if (hasCommits) return;
  const offsets = await admin.fetchTopicOffsetsByTimestamp(definition.topic, definition.startingPositionTimestampMs);
  await admin.setOffsets({ groupId: definition.consumerGroupId, topic: definition.topic, partitions: offsets.map(({ partition, offset }) => ({ partition, offset })) });
}
