/** OffsetFetch, version-independent shapes. */
export interface OffsetFetchRequest {
  groupId: string;
  /** null (v2+) asks for every partition the group has committed. */
  topics: { name: string; partitionIndexes: number[] }[] | null;
}

export interface OffsetFetchResponsePartition {
  partitionIndex: number;
  /** -1 when nothing is committed. */
  committedOffset: number;
  /** v5+; -1 = unknown. */
  committedLeaderEpoch: number;
  metadata: string | null;
  errorCode: number;
}

export interface OffsetFetchResponse {
  throttleTimeMs: number;
  topics: { name: string; partitions: OffsetFetchResponsePartition[] }[];
  /** v2+: group-level error. */
  errorCode: number;
}
