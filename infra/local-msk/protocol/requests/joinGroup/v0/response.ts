// JoinGroup Response (Version: 0) => error_code generation_id protocol_name leader member_id [members]
//   error_code => INT16
//   generation_id => INT32
//   protocol_name => STRING
//   leader => STRING
//   member_id => STRING
//   members => member_id metadata
//     member_id => STRING
//     metadata => BYTES
import type { Writer } from '../../../writer.js';
import type { JoinGroupResponse } from '../types.js';

/** Everything after error_code up to the members array (shared by every version). */
export function encodeGeneration(writer: Writer, response: JoinGroupResponse): void {
  writer.int32(response.generationId).string(response.protocolName).string(response.leader).string(response.memberId);
}

export function encode(writer: Writer, response: JoinGroupResponse): void {
  writer.int16(response.errorCode);
  encodeGeneration(writer, response);
  writer.array(response.members, (w, member) => {
    w.string(member.memberId).bytes(member.metadata);
  });
}
