// ListGroups Response (Version: 1) => throttle_time_ms error_code [groups]
//   throttle_time_ms => INT32
//   error_code => INT16
//   groups => group_id protocol_type
//     group_id => STRING
//     protocol_type => STRING
import type { Writer } from '../../../writer.js';
import type { ListGroupsResponse } from '../types.js';
import { encode as encodeV0 } from '../v0/response.js';

export function encode(writer: Writer, response: ListGroupsResponse): void {
  writer.int32(response.throttleTimeMs);
  encodeV0(writer, response);
}
