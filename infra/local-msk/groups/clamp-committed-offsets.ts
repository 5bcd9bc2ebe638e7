/**
 * Start-up repair of committed group offsets, run once after the topics are loaded and before
 * the group coordinator reads the offsets.
 *
 * - An offset past its partition's log end is set to the log end, with one warning line per
 *   group/partition giving the old and new offset. This happens when the log lost its tail in a
 *   crash (data a broker before the durable-visibility change served before it was on disk) or
 *   when a client committed an offset it never read. Left alone, the group would skip every
 *   record later appended up to the old offset, since new records reuse the lost offsets.
 * - Offsets of topics that no longer exist are deleted (one warning line per topic), as Kafka
 *   deletes them with the topic: a crash can interrupt a deletion between removing the topic and
 *   its offsets, and a topic recreated under the name must start with no committed offsets.
 * Offsets below the log start (retention) are left alone: the consumer's reset policy handles
 * them, as in Kafka.
 */
import type { Logger } from '../logger.js';
import type { CommittedOffset, Storage } from '../storage/storage.js';

/** A partition's log end offset, or undefined when the topic does not exist (null: the topic exists, the partition does not). */
export type LogEndOf = (topic: string, partition: number) => number | null | undefined;

export async function clampCommittedOffsets(storage: Storage, logEndOf: LogEndOf, logger: Logger): Promise<void> {
  const clamped: CommittedOffset[] = [];
  const orphanTopics = new Set<string>();
  for (const committed of await storage.loadOffsets()) {
    const logEnd = logEndOf(committed.topic, committed.partition);
    if (logEnd === undefined) {
      orphanTopics.add(committed.topic);
      continue;
    }
    if (logEnd === null || committed.offset <= logEnd) continue;
    logger.warn('committed offset was past the log end; clamped to the log end', {
      group: committed.groupId,
      topic: committed.topic,
      partition: committed.partition,
      oldOffset: committed.offset,
      newOffset: logEnd,
    });
    clamped.push({ ...committed, offset: logEnd });
  }
  if (clamped.length > 0) await storage.commitOffsets(clamped);
  for (const topic of orphanTopics) {
    logger.warn('deleted committed offsets of a topic that no longer exists', { topic });
    await storage.deleteOffsetsForTopic(topic);
  }
}
