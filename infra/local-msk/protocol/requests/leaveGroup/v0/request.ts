// LeaveGroup Request (Version: 0) => group_id member_id
//   group_id => STRING
//   member_id => STRING
import type { Reader } from '../../../reader.js';
import type { LeaveGroupRequest } from '../types.js';

export function decode(reader: Reader): LeaveGroupRequest {
  const groupId = reader.string();
  const memberId = reader.string();
  return { groupId, members: [{ memberId, groupInstanceId: null }] };
}
