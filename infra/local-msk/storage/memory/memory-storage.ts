import type { CommittedOffset, PartitionLog, Storage, TopicRecord } from '../storage.js';
import { MemoryPartitionLog } from './memory-partition-log.js';

/** Everything in memory: for tests and throwaway runs (`--in-memory`). */
export class MemoryStorage implements Storage {
  private readonly partitions = new Map<string, MemoryPartitionLog>();
  private readonly topics = new Map<string, TopicRecord>();
  private readonly offsets = new Map<string, CommittedOffset>();
  private nextProducerId = 1000;

  async openPartition(topic: string, partition: number): Promise<PartitionLog> {
    const key = `${topic}/${partition}`;
    let log = this.partitions.get(key);
    if (!log) {
      log = new MemoryPartitionLog();
      this.partitions.set(key, log);
    }
    return log;
  }

  async removePartition(topic: string, partition: number): Promise<void> {
    this.partitions.delete(`${topic}/${partition}`);
  }

  async loadTopics(): Promise<TopicRecord[]> {
    return [...this.topics.values()].map((topic) => structuredClone(topic));
  }

  async saveTopic(topic: TopicRecord): Promise<void> {
    this.topics.set(topic.name, structuredClone(topic));
  }

  async deleteTopic(name: string): Promise<void> {
    this.topics.delete(name);
  }

  async loadOffsets(): Promise<CommittedOffset[]> {
    return [...this.offsets.values()].map((offset) => ({ ...offset }));
  }

  async commitOffsets(offsets: CommittedOffset[]): Promise<void> {
    for (const offset of offsets) {
      this.offsets.set(JSON.stringify([offset.groupId, offset.topic, offset.partition]), { ...offset });
    }
  }

  async deleteOffsetsForTopic(topic: string): Promise<void> {
    for (const [key, offset] of this.offsets) if (offset.topic === topic) this.offsets.delete(key);
  }

  async allocateProducerId(): Promise<number> {
    return this.nextProducerId++;
  }

  async close(): Promise<void> {}
}
