/**
 * The broker's storage, behind short interfaces so the in-memory mode (tests) and the
 * segment-file mode (`--data-dir`) are interchangeable.
 *
 * Visibility: a partition serves records only below its high watermark, the end of what is
 * durable (on the file storage: written and on stable storage), so no consumer ever sees a
 * record that a crash of the broker can take back. The in-memory storage keeps nothing across
 * a restart and makes every record visible as soon as it is appended.
 *
 * Offsets and timestamps are plain numbers: offsets stay far below 2^53, timestamps are
 * milliseconds since the Unix epoch.
 */

import type { StoredProducerBatch } from '../producers/producer-history.js';

/** What the broker knows about a RecordBatch v2 it appends (read from the batch header). */
export interface BatchInfo {
  /** Number of records in the batch (>= 1). */
  recordCount: number;
  /** lastOffsetDelta from the batch header; records span baseOffset..baseOffset+lastOffsetDelta. */
  lastOffsetDelta: number;
  /** firstTimestamp from the batch header (ms). */
  firstTimestamp: number;
  /** maxTimestamp from the batch header (ms). */
  maxTimestamp: number;
}

/**
 * How far an append must have gone before it resolves.
 * - 'memory': accepted into the log (acks=0);
 * - 'write': written (acks=1);
 * - 'fsync': written and on stable storage (acks=-1).
 * The file store makes every write durable before it counts as written (only durable data is
 * visible, and an acknowledged record should be), so 'write' and 'fsync' resolve together:
 * once the batch is below the high watermark. The in-memory store treats all three alike.
 */
export type Durability = 'memory' | 'write' | 'fsync';

/** Whether `append` must copy the batch ('copy') or may keep the caller's buffer ('take'). */
export type BatchOwnership = 'copy' | 'take';

/** One partition's append-only log of RecordBatch v2 byte blocks. */
export interface PartitionLog {
  /** First offset still stored (advances with retention). */
  readonly logStartOffset: number;
  /** Offset the next appended record gets. Records in [highWatermark, logEndOffset) are not visible yet. */
  readonly logEndOffset: number;
  /**
   * End of the visible records: every record below it is durable (file storage: written and
   * synced) and may be read; nothing at or above it is ever returned by `read` or
   * `findBatchByTimestamp`. Never decreases while the broker runs; <= logEndOffset.
   */
  readonly highWatermark: number;
  /**
   * Calls `listener` with the record bytes that just became visible each time the high
   * watermark advances (at most one listener; a later call replaces it). Fetch long-polls on this.
   */
  watchHighWatermark(listener: (visibleBytes: number) => void): void;
  /**
   * The newest batches of every idempotent producer stored in the log (at most 5 each), so a
   * restarted broker still recognises a retried batch. Empty for the in-memory storage.
   */
  storedProducerBatches(): StoredProducerBatch[];
  /** Bytes currently stored. */
  readonly sizeBytes: number;
  /**
   * Appends one RecordBatch v2 (as received from a producer). The log assigns the base
   * offset synchronously, in call order, and overwrites the batch's baseOffset field
   * (bytes 0-7, outside the CRC) with it; `logEndOffset` advances before this returns.
   * Resolves with the base offset once `durability` is reached; rejects with StorageWriteError
   * when the data could not be stored (the batch, and every batch appended after it that was
   * not yet stored, never becomes visible and is cut from the log; logEndOffset moves back).
   * With ownership 'take' the caller hands the buffer over (it never reads or changes it
   * again), so the log may keep and modify it instead of copying it; 'copy' is the default.
   */
  append(batch: Buffer, info: BatchInfo, durability: Durability, ownership?: BatchOwnership): Promise<number>;
  /**
   * Whole visible batches, in offset order, starting with the one that contains `offset`,
   * whose total size stays within `maxBytes` — except that the first batch is returned even
   * if it alone is larger, so a consumer always makes progress. Empty when `offset` is at or
   * past the high watermark. Throws RangeError when `offset` is outside [logStartOffset, logEndOffset].
   */
  read(offset: number, maxBytes: number): Promise<Buffer[]>;
  /** The first visible batch whose maxTimestamp >= `timestamp`, or null if there is none. */
  findBatchByTimestamp(timestamp: number): Promise<Buffer | null>;
  /**
   * Drops the oldest data beyond the limits (whole segments on disk, whole batches in
   * memory; the active segment is never dropped). A limit of -1 means unlimited.
   */
  enforceRetention(limits: RetentionLimits, now: number): Promise<void>;
  /** Makes everything appended so far durable (fsync) and releases file handles. */
  close(): Promise<void>;
}

export interface RetentionLimits {
  /** Drop data whose newest timestamp is older than now - retentionMs; -1 = keep forever. */
  retentionMs: number;
  /** Drop the oldest data while the partition is larger than this; -1 = no size limit. */
  retentionBytes: number;
}

/** A topic as persisted: everything needed to reopen it after a restart. */
export interface TopicRecord {
  name: string;
  /** 16-byte topic id, hex. */
  topicId: string;
  partitionCount: number;
  /** Topic-level configs as given (e.g. "retention.ms": "60000"). */
  configs: Record<string, string>;
}

/** A committed consumer-group offset. */
export interface CommittedOffset {
  groupId: string;
  topic: string;
  partition: number;
  offset: number;
  metadata: string | null;
  /** When it was committed (ms). */
  commitTimestamp: number;
}

export interface Storage {
  /** Opens (creating if absent) a partition's log. */
  openPartition(topic: string, partition: number): Promise<PartitionLog>;
  /** Removes a partition's data for good (topic deletion). */
  removePartition(topic: string, partition: number): Promise<void>;

  loadTopics(): Promise<TopicRecord[]>;
  saveTopic(topic: TopicRecord): Promise<void>;
  deleteTopic(name: string): Promise<void>;

  loadOffsets(): Promise<CommittedOffset[]>;
  /** Durably records commits before resolving; later entries win over earlier ones. */
  commitOffsets(offsets: CommittedOffset[]): Promise<void>;
  /** Forgets every committed offset of the given topic (topic deletion). */
  deleteOffsetsForTopic(topic: string): Promise<void>;

  /** Next producer id to hand out by InitProducerId (persisted so ids never repeat). */
  allocateProducerId(): Promise<number>;

  close(): Promise<void>;
}
