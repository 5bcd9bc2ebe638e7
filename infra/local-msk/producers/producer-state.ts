import { ErrorCode } from '../protocol/error-codes.js';
import type { StoredProducerBatch } from './producer-history.js';

/**
 * Idempotent-producer bookkeeping: per (producerId, topic, partition) the producer epoch
 * and the last few appended batches, so a retried batch is answered with its original
 * offset instead of being appended twice, and a gap in sequences is refused.
 *
 * Held in memory, and restored at start-up from what the partition logs stored (`restore`,
 * fed by the file log's producer snapshots and its active segment), so a batch retried after
 * a broker restart is still recognised. A producer the table has no state for (new, or only
 * ever on the in-memory storage before a restart) gets its first batch accepted whatever its
 * sequence, as Kafka does once a producer's state has expired.
 */

/** How many recent batches per producer and partition are remembered (Kafka's value). */
export const rememberedBatchesPerPartition = 5;

/** Sequence numbers are int32 and wrap from 2^31-1 to 0. */
const sequenceModulus = 2 ** 31;

export interface ProducedBatchIdentity {
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  /** recordCount - 1; the batch's last sequence is baseSequence + lastOffsetDelta (wrapping). */
  lastOffsetDelta: number;
}

interface RememberedBatch {
  firstSequence: number;
  lastSequence: number;
  baseOffset: number;
  /** Settles when the original append reached its durability (rejects if it failed). */
  stored: Promise<unknown>;
}

interface ProducerPartitionState {
  epoch: number;
  /** Oldest first; at most rememberedBatchesPerPartition. */
  batches: RememberedBatch[];
}

export type SequenceVerdict =
  | { kind: 'append' }
  /** A retry of a remembered batch: answer with its offset once `stored` settles (it may still be in flight). */
  | { kind: 'duplicate'; baseOffset: number; stored: Promise<unknown> }
  | { kind: 'reject'; errorCode: ErrorCode; message: string };

const appendVerdict: SequenceVerdict = { kind: 'append' };

export function lastSequenceOf(batch: ProducedBatchIdentity): number {
  return (batch.baseSequence + batch.lastOffsetDelta) % sequenceModulus;
}

/** Producer sequence state of one broker (one instance per running broker). */
export class ProducerStateTable {
  private readonly states = new Map<string, ProducerPartitionState>();

  private static key(producerId: number, topic: string, partition: number): string {
    return `${producerId}\u0000${partition}\u0000${topic}`;
  }

  /**
   * Judges a batch from an idempotent producer (producerId >= 0) against what was appended
   * before. Pure: call `recordAppend` once the batch has actually been appended.
   */
  check(topic: string, partition: number, batch: ProducedBatchIdentity): SequenceVerdict {
    if (batch.baseSequence < 0) {
      return { kind: 'reject', errorCode: ErrorCode.INVALID_RECORD, message: `idempotent batch has base sequence ${batch.baseSequence}` };
    }
    const state = this.states.get(ProducerStateTable.key(batch.producerId, topic, partition));
    if (!state) return appendVerdict;
    if (batch.producerEpoch < state.epoch) {
      return {
        kind: 'reject',
        errorCode: ErrorCode.INVALID_PRODUCER_EPOCH,
        message: `producer ${batch.producerId} epoch ${batch.producerEpoch} is older than the current epoch ${state.epoch}`,
      };
    }
    if (batch.producerEpoch > state.epoch) {
      if (batch.baseSequence === 0) return appendVerdict;
      return {
        kind: 'reject',
        errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
        message: `producer ${batch.producerId} started epoch ${batch.producerEpoch} at sequence ${batch.baseSequence}, expected 0`,
      };
    }
    const lastSequence = lastSequenceOf(batch);
    for (const remembered of state.batches) {
      if (remembered.firstSequence === batch.baseSequence && remembered.lastSequence === lastSequence) {
        return { kind: 'duplicate', baseOffset: remembered.baseOffset, stored: remembered.stored };
      }
    }
    const newest = state.batches[state.batches.length - 1];
    const expected = newest ? (newest.lastSequence + 1) % sequenceModulus : 0;
    if (batch.baseSequence !== expected) {
      return {
        kind: 'reject',
        errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
        message: `producer ${batch.producerId} sent sequence ${batch.baseSequence} on ${topic}/${partition}, expected ${expected}`,
      };
    }
    return appendVerdict;
  }

  /**
   * Remembers a batch the log accepted at `baseOffset` (call right after `append`, synchronously).
   * `stored` is the append's promise: a retry is acknowledged only once it has settled, and a
   * failed append is forgotten, so a retry of it is appended again instead of acknowledged.
   */
  recordAppend(topic: string, partition: number, batch: ProducedBatchIdentity, baseOffset: number, stored: Promise<unknown> = Promise.resolve()): void {
    const key = ProducerStateTable.key(batch.producerId, topic, partition);
    let state = this.states.get(key);
    if (!state || batch.producerEpoch > state.epoch) {
      state = { epoch: batch.producerEpoch, batches: [] };
      this.states.set(key, state);
    }
    const remembered: RememberedBatch = { firstSequence: batch.baseSequence, lastSequence: lastSequenceOf(batch), baseOffset, stored };
    state.batches.push(remembered);
    if (state.batches.length > rememberedBatchesPerPartition) state.batches.shift();
    const owner = state;
    stored.catch(() => {
      const at = owner.batches.indexOf(remembered);
      if (at >= 0) owner.batches.splice(at, 1);
    });
  }

  /**
   * Takes over the batches a partition log stored (oldest first per producer), as if they had
   * just been appended and were durable. Call once per partition at start-up, before produces.
   */
  restore(topic: string, partition: number, batches: readonly StoredProducerBatch[]): void {
    for (const stored of batches) {
      const identity: ProducedBatchIdentity = {
        producerId: stored.producerId,
        producerEpoch: stored.producerEpoch,
        baseSequence: stored.firstSequence,
        lastOffsetDelta: (stored.lastSequence - stored.firstSequence + sequenceModulus) % sequenceModulus,
      };
      this.recordAppend(topic, partition, identity, stored.baseOffset, Promise.resolve());
    }
  }

  /** Forgets every producer's state on a deleted topic (a topic recreated under the name starts clean). */
  forgetTopic(topic: string): void {
    for (const key of this.states.keys()) {
      // Keys are producerId NUL partition NUL topic; topic names never hold a NUL.
      if (key.split('\u0000')[2] === topic) this.states.delete(key);
    }
  }

  get size(): number {
    return this.states.size;
  }
}
