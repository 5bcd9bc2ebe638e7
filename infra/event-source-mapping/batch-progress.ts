import type { KafkaRecordInput } from '../../functions/shared/kafka/index.js';
import { slotOf } from './payload-size.js';

export interface CommitOffset {
  topic: string;
  partition: number;
  /** The next offset to consume (last done + 1), as kafkajs wants it. */
  offset: string;
}

/**
 * How far each partition of a batch being delivered is done, for commits before the batch ends
 * (AWS checkpoints at the first record a partial batch response reports, so the records before it
 * are not redelivered while it is retried). A partition is done up to its lowest offset still
 * pending, or past its last record when none is.
 */
export class BatchProgress {
  /** Per partition ("<topic>-<partition>"): its coordinates, the offset after its last record, and the offset last reported. */
  private readonly slots = new Map<string, { topic: string; partition: number; end: number; reported: number }>();

  constructor(batch: readonly KafkaRecordInput[]) {
    for (const record of batch) {
      const slot = this.slots.get(slotOf(record));
      if (slot === undefined) this.slots.set(slotOf(record), { topic: record.topic, partition: record.partition, end: record.offset + 1, reported: record.offset });
      else slot.end = Math.max(slot.end, record.offset + 1);
    }
  }

  /** The commits that move past what was reported before, given the records still pending. */
  advance(pending: readonly KafkaRecordInput[]): CommitOffset[] {
    const lowestPending = new Map<string, number>();
    for (const record of pending) {
      const slot = slotOf(record);
      lowestPending.set(slot, Math.min(record.offset, lowestPending.get(slot) ?? record.offset));
    }
    const commits: CommitOffset[] = [];
    for (const [key, slot] of this.slots) {
      const doneUpTo = lowestPending.get(key) ?? slot.end;
      if (doneUpTo <= slot.reported) continue;
      slot.reported = doneUpTo;
      commits.push({ topic: slot.topic, partition: slot.partition, offset: String(doneUpTo) });
    }
    return commits;
  }
}
