// Heartbeat Request (Version: 3) => group_id generation_id member_id group_instance_id
//   group_id => STRING
//   generation_id => INT32
//   member_id => STRING
//   group_instance_id => NULLABLE_STRING
import type { Reader } from '../../../reader.js';
import type { HeartbeatRequest } from '../types.js';

export function decode(reader: Reader): HeartbeatRequest {
  const groupId = reader.string();
  const generationId = reader.int32();
  const memberId = reader.string();
  const groupInstanceId = reader.nullableString();
  return { groupId, generationId, memberId, groupInstanceId };
}
