// SyncGroup Request (Version: 0) => group_id generation_id member_id [assignments]
//   group_id => STRING
//   generation_id => INT32
//   member_id => STRING
//   assignments => member_id assignment
//     member_id => STRING
//     assignment => BYTES
import type { Reader } from '../../../reader.js';
import type { SyncGroupRequest } from '../types.js';

export function decodeAssignments(reader: Reader): SyncGroupRequest['assignments'] {
  return reader.array((r) => ({ memberId: r.string(), assignment: r.bytes() }));
}

export function decode(reader: Reader): SyncGroupRequest {
  const groupId = reader.string();
  const generationId = reader.int32();
  const memberId = reader.string();
  const assignments = decodeAssignments(reader);
  return { groupId, generationId, memberId, groupInstanceId: null, assignments };
}
