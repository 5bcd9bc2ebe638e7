// OffsetCommit Request (Version: 1) => group_id generation_id member_id [topics]
//   group_id => STRING
//   generation_id => INT32
//   member_id => STRING
//   topics => name [partitions]
//     name => STRING
//     partitions => partition_index committed_offset commit_timestamp committed_metadata
//       partition_index => INT32
//       committed_offset => INT64
//       commit_timestamp => INT64
//       committed_metadata => NULLABLE_STRING
import type { Reader } from '../../../reader.js';
import type { OffsetCommitRequest } from '../types.js';
import { decodeTopics } from '../v0/request.js';

export function decode(reader: Reader): OffsetCommitRequest {
  const groupId = reader.string();
  const generationId = reader.int32();
  const memberId = reader.string();
  const topics = decodeTopics(reader, { commitTimestamp: true, leaderEpoch: false });
  return { groupId, generationId, memberId, groupInstanceId: null, retentionTimeMs: -1, topics };
}
