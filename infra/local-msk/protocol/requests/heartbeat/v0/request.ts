// Heartbeat Request (Version: 0) => group_id generation_id member_id
//   group_id => STRING
//   generation_id => INT32
//   member_id => STRING
import type { Reader } from '../../../reader.js';
import type { HeartbeatRequest } from '../types.js';

export function decode(reader: Reader): HeartbeatRequest {
  const groupId = reader.string();
  const generationId = reader.int32();
  const memberId = reader.string();
  return { groupId, generationId, memberId, groupInstanceId: null };
}
