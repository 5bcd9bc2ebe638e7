// LeaveGroup Request (Version: 3) => group_id [members]
//   group_id => STRING
//   members => member_id group_instance_id
//     member_id => STRING
//     group_instance_id => NULLABLE_STRING
import type { Reader } from '../../../reader.js';
import type { LeaveGroupRequest } from '../types.js';

export function decode(reader: Reader): LeaveGroupRequest {
  const groupId = reader.string();
  const members = reader.array((r) => ({ memberId: r.string(), groupInstanceId: r.nullableString() }));
  return { groupId, members };
}
