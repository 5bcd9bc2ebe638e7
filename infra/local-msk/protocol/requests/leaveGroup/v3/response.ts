// LeaveGroup Response (Version: 3) => throttle_time_ms error_code [members]
//   throttle_time_ms => INT32
//   error_code => INT16
//   members => member_id group_instance_id error_code
//     member_id => STRING
//     group_instance_id => NULLABLE_STRING
//     error_code => INT16
import type { Writer } from '../../../writer.js';
import type { LeaveGroupResponse } from '../types.js';
import { encode as encodeV1 } from '../v1/response.js';

export function encode(writer: Writer, response: LeaveGroupResponse): void {
  encodeV1(writer, response);
  writer.array(response.members, (w, member) => {
    w.string(member.memberId).nullableString(member.groupInstanceId).int16(member.errorCode);
  });
}
