// JoinGroup Response (Version: 5) => throttle_time_ms error_code generation_id protocol_name leader member_id [members]
//   throttle_time_ms => INT32
//   error_code => INT16
//   generation_id => INT32
//   protocol_name => STRING
//   leader => STRING
//   member_id => STRING
//   members => member_id group_instance_id metadata
//     member_id => STRING
//     group_instance_id => NULLABLE_STRING
//     metadata => BYTES
import type { Writer } from '../../../writer.js';
import type { JoinGroupResponse } from '../types.js';
import { encodeGeneration } from '../v0/response.js';

export function encode(writer: Writer, response: JoinGroupResponse): void {
  writer.int32(response.throttleTimeMs).int16(response.errorCode);
  encodeGeneration(writer, response);
  writer.array(response.members, (w, member) => {
    w.string(member.memberId).nullableString(member.groupInstanceId).bytes(member.metadata);
  });
}
