/** ListOffsets, version-independent shapes (superset of versions 0-3). */

/** Special timestamps: the next offset to be written, and the first offset still stored. */
export const latestTimestamp = -1;
export const earliestTimestamp = -2;

export interface ListOffsetsRequest {
  replicaId: number;
  /** v2+: 0 read uncommitted, 1 read committed (the same here: no transactions). */
  isolationLevel: number;
  topics: ListOffsetsTopic[];
}

export interface ListOffsetsTopic {
  name: string;
  partitions: ListOffsetsPartition[];
}

export interface ListOffsetsPartition {
  index: number;
  /** ms since the epoch, or latestTimestamp / earliestTimestamp. */
  timestamp: number;
  /** v0 only: how many offsets to return at most. */
  maxNumOffsets: number;
}

export interface ListOffsetsResponse {
  /** v2+. */
  throttleTimeMs: number;
  topics: ListOffsetsTopicResponse[];
}

export interface ListOffsetsTopicResponse {
  name: string;
  partitions: ListOffsetsPartitionResponse[];
}

export interface ListOffsetsPartitionResponse {
  index: number;
  errorCode: number;
  /** v1+: timestamp of the record found, -1 for the special timestamps or when none. */
  timestamp: number;
  /** v1+: the offset found, -1 when none. */
  offset: number;
  /** v0 only: the offsets found (at most one here), empty when none. */
  oldStyleOffsets: number[];
}
