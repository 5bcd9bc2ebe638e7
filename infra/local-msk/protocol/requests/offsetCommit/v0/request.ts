// OffsetCommit Request (Version: 0) => group_id [topics]
//   group_id => STRING
//   topics => name [partitions]
//     name => STRING
//     partitions => partition_index committed_offset committed_metadata
//       partition_index => INT32
//       committed_offset => INT64
//       committed_metadata => NULLABLE_STRING
import type { Reader } from '../../../reader.js';
import type { OffsetCommitRequest } from '../types.js';

/** Which optional fields a version's partition entries carry. */
export interface PartitionLayout {
  /** v1: commit_timestamp after committed_offset. */
  commitTimestamp: boolean;
  /** v6+: committed_leader_epoch after committed_offset. */
  leaderEpoch: boolean;
}

export function decodeTopics(reader: Reader, layout: PartitionLayout): OffsetCommitRequest['topics'] {
  return reader.array((topic) => ({
    name: topic.string(),
    partitions: topic.array((partition) => {
      const partitionIndex = partition.int32();
      const committedOffset = partition.int64();
      const committedLeaderEpoch = layout.leaderEpoch ? partition.int32() : -1;
      const commitTimestamp = layout.commitTimestamp ? partition.int64() : -1;
      const committedMetadata = partition.nullableString();
      return { partitionIndex, committedOffset, committedLeaderEpoch, commitTimestamp, committedMetadata };
    }),
  }));
}

export function decode(reader: Reader): OffsetCommitRequest {
  const groupId = reader.string();
  const topics = decodeTopics(reader, { commitTimestamp: false, leaderEpoch: false });
  return { groupId, generationId: -1, memberId: '', groupInstanceId: null, retentionTimeMs: -1, topics };
}
