import type { CommittedOffset, Storage } from '../storage/storage.js';

/**
 * Committed consumer-group offsets: an in-memory index over what the storage holds.
 *
 * Invariants: the index only ever reflects commits the storage has durably accepted;
 * commits are persisted one call at a time, in arrival order, so the index and the
 * storage agree on which of two racing commits to one partition came last.
 */
export class OffsetStore {
  /** groupId -> topic -> partition -> offset. */
  private readonly byGroup = new Map<string, Map<string, Map<number, CommittedOffset>>>();
  /** Tail of the commit queue; never rejects. */
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly storage: Storage) {}

  async load(): Promise<void> {
    this.apply(await this.storage.loadOffsets());
  }

  /** Persists the commits (in order), then makes them visible. Rejects if the storage fails. */
  commit(offsets: CommittedOffset[]): Promise<void> {
    const run = this.tail.then(async () => {
      await this.storage.commitOffsets(offsets);
      this.apply(offsets);
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Resolves once every commit issued so far has settled. */
  flush(): Promise<void> {
    return this.tail;
  }

  get(groupId: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.byGroup.get(groupId)?.get(topic)?.get(partition);
  }

  /** Every committed offset of the group, ordered by topic then partition. */
  forGroup(groupId: string): CommittedOffset[] {
    const topics = this.byGroup.get(groupId);
    if (!topics) return [];
    return [...topics.keys()]
      .sort()
      .flatMap((topic) => [...topics.get(topic)!.values()].sort((a, b) => a.partition - b.partition));
  }

  hasOffsets(groupId: string): boolean {
    return this.byGroup.has(groupId);
  }

  groupIds(): string[] {
    return [...this.byGroup.keys()];
  }

  /** Drops the in-memory offsets of a deleted topic (the storage forgets them in TopicManager.delete). */
  forgetTopic(topic: string): void {
    for (const [groupId, topics] of this.byGroup) {
      topics.delete(topic);
      if (topics.size === 0) this.byGroup.delete(groupId);
    }
  }

  private apply(offsets: readonly CommittedOffset[]): void {
    for (const offset of offsets) {
      let topics = this.byGroup.get(offset.groupId);
      if (!topics) this.byGroup.set(offset.groupId, (topics = new Map()));
      let partitions = topics.get(offset.topic);
      if (!partitions) topics.set(offset.topic, (partitions = new Map()));
      partitions.set(offset.partition, offset);
    }
  }
}
