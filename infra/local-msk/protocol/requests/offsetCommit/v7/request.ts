// OffsetCommit Request (Version: 7) => group_id generation_id member_id group_instance_id [topics]
//   group_id => STRING
//   generation_id => INT32
//   member_id => STRING
//   group_instance_id => NULLABLE_STRING
//   topics => name [partitions]
//     name => STRING
//     partitions => partition_index committed_offset committed_leader_epoch committed_metadata
//       partition_index => INT32
//       committed_offset => INT64
//       committed_leader_epoch => INT32
//       committed_metadata => NULLABLE_STRING
import type { Reader } from '../../../reader.js';
import type { OffsetCommitRequest } from '../types.js';
import { decodeTopics } from '../v0/request.js';

export function decode(reader: Reader): OffsetCommitRequest {
  const groupId = reader.string();
  const generationId = reader.int32();
  const memberId = reader.string();
  const groupInstanceId = reader.nullableString();
  const topics = decodeTopics(reader, { commitTimestamp: false, leaderEpoch: true });
  return { groupId, generationId, memberId, groupInstanceId, retentionTimeMs: -1, topics };
}
