import type { TopicManager } from '../topics/topic-manager.js';
import { ProducerStateTable } from './producer-state.js';

/**
 * The broker's idempotent-producer table at start-up: every loaded partition's stored producer
 * batches (file storage: its snapshot plus active segment), so that a batch a producer retries
 * across a broker restart is answered with its original offset instead of stored twice.
 */
export function restoreProducerState(topics: TopicManager): ProducerStateTable {
  const table = new ProducerStateTable();
  for (const topic of topics.list()) {
    topic.partitions.forEach((log, partition) => table.restore(topic.name, partition, log.storedProducerBatches()));
  }
  return table;
}
