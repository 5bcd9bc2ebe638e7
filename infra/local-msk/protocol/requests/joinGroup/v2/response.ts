// JoinGroup Response (Version: 2) => throttle_time_ms error_code generation_id protocol_name leader member_id [members]
//   throttle_time_ms => INT32
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
import { encode as encodeV0 } from '../v0/response.js';

export function encode(writer: Writer, response: JoinGroupResponse): void {
  writer.int32(response.throttleTimeMs);
  encodeV0(writer, response);
}
