/** OffsetCommit, version-independent shapes. */
export interface OffsetCommitRequestPartition {
  partitionIndex: number;
  committedOffset: number;
  /** v6+; -1 before. */
  committedLeaderEpoch: number;
  /** v1 only: the commit time chosen by the client (ms), -1 = broker's time; -1 for other versions. */
  commitTimestamp: number;
  committedMetadata: string | null;
}

export interface OffsetCommitRequest {
  groupId: string;
  /** v1+; -1 for v0 (commits from outside group management). */
  generationId: number;
  /** v1+; "" for v0. */
  memberId: string;
  /** v7+; null before. */
  groupInstanceId: string | null;
  /** v2-v4 (ms, -1 = broker default); -1 for other versions. The broker keeps offsets until the topic is deleted. */
  retentionTimeMs: number;
  topics: { name: string; partitions: OffsetCommitRequestPartition[] }[];
}

export interface OffsetCommitResponse {
  throttleTimeMs: number;
  topics: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[];
}
