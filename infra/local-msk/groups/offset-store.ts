import type { Logger } from '../logger.js';
import { fitsKafkaString } from '../protocol/kafka-string.js';
import type { CommittedOffset, Storage } from '../storage/storage.js';
import { isValidGroupId } from './group-id.js';

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

  constructor(
    private readonly storage: Storage,
    private readonly logger: Logger,
  ) {}

  /**
   * Loads the stored commits. An entry the broker could not answer with (a group id it now
   * refuses, or a string too long for the protocol, as older versions stored from ids that were
   * not UTF-8) is left out, with one warning line for all of them: serving it would fail every
   * ListGroups, DescribeGroups and OffsetFetch that touches it.
   */
  async load(): Promise<void> {
    const stored = await this.storage.loadOffsets();
    const servable = stored.filter(isServable);
    const skipped = stored.length - servable.length;
    if (skipped > 0) {
      const example = stored.find((offset) => !isServable(offset))!;
      this.logger.warn('skipped committed offsets that cannot be served', { entries: skipped, group: example.groupId, topic: example.topic });
    }
    this.apply(servable);
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

/** Whether every string of a stored commit can be written back in a response. */
function isServable(offset: CommittedOffset): boolean {
  return isValidGroupId(offset.groupId) && fitsKafkaString(offset.topic) && fitsKafkaString(offset.metadata ?? '');
}
