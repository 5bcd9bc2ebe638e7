// SyncGroup Request (Version: 3) => group_id generation_id member_id group_instance_id [assignments]
//   group_id => STRING
//   generation_id => INT32
//   member_id => STRING
//   group_instance_id => NULLABLE_STRING
//   assignments => member_id assignment
//     member_id => STRING
//     assignment => BYTES
import type { Reader } from '../../../reader.js';
import type { SyncGroupRequest } from '../types.js';
import { decodeAssignments } from '../v0/request.js';

export function decode(reader: Reader): SyncGroupRequest {
  const groupId = reader.string();
  const generationId = reader.int32();
  const memberId = reader.string();
  const groupInstanceId = reader.nullableString();
  const assignments = decodeAssignments(reader);
  return { groupId, generationId, memberId, groupInstanceId, assignments };
}
