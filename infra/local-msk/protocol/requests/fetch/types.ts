/** Fetch, version-independent shapes (superset of versions 4-11). */
export interface FetchRequest {
  /** -1 for consumers. */
  replicaId: number;
  maxWaitMs: number;
  minBytes: number;
  /** v3+: limit on the whole response's record bytes. */
  maxBytes: number;
  /** v4+: 0 read uncommitted, 1 read committed (the same here: no transactions). */
  isolationLevel: number;
  /** v7+: fetch sessions are not implemented; always answered sessionless. */
  sessionId: number;
  sessionEpoch: number;
  topics: FetchTopic[];
  /** v7+: ignored (no sessions). */
  forgottenTopics: { name: string; partitions: number[] }[];
  /** v11+. */
  rackId: string;
}

export interface FetchTopic {
  name: string;
  partitions: FetchPartition[];
}

export interface FetchPartition {
  index: number;
  /** v9+; -1 when the client does not know it. */
  currentLeaderEpoch: number;
  fetchOffset: number;
  /** v5+; only followers use it. */
  logStartOffset: number;
  partitionMaxBytes: number;
}

export interface FetchResponse {
  throttleTimeMs: number;
  /** v7+. */
  errorCode: number;
  /** v7+; 0 = no session. */
  sessionId: number;
  topics: FetchTopicResponse[];
}

export interface FetchTopicResponse {
  name: string;
  partitions: FetchPartitionResponse[];
}

export interface AbortedTransaction {
  producerId: number;
  firstOffset: number;
}

export interface FetchPartitionResponse {
  index: number;
  errorCode: number;
  highWatermark: number;
  /** v4+. */
  lastStableOffset: number;
  /** v5+. */
  logStartOffset: number;
  /** v4+; null or empty here (no transactions). */
  abortedTransactions: AbortedTransaction[] | null;
  /** v11+; -1 = read from the leader. */
  preferredReadReplica: number;
  /** Whole record batches, written back to back without copying; null for none. */
  records: Buffer[] | null;
}
