// OffsetCommit Request (Version: 2) => group_id generation_id member_id retention_time_ms [topics]
//   group_id => STRING
//   generation_id => INT32
//   member_id => STRING
//   retention_time_ms => INT64
//   topics => name [partitions]
//     name => STRING
//     partitions => partition_index committed_offset committed_metadata
//       partition_index => INT32
//       committed_offset => INT64
//       committed_metadata => NULLABLE_STRING
import type { Reader } from '../../../reader.js';
import type { OffsetCommitRequest } from '../types.js';
import { decodeTopics } from '../v0/request.js';

export function decode(reader: Reader): OffsetCommitRequest {
  const groupId = reader.string();
  const generationId = reader.int32();
  const memberId = reader.string();
  const retentionTimeMs = reader.int64();
  const topics = decodeTopics(reader, { commitTimestamp: false, leaderEpoch: false });
  return { groupId, generationId, memberId, groupInstanceId: null, retentionTimeMs, topics };
}
