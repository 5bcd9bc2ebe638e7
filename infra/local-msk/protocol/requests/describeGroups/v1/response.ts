// DescribeGroups Response (Version: 1) => throttle_time_ms [groups]
//   throttle_time_ms => INT32
//   groups => error_code group_id group_state protocol_type protocol_data [members]
//     (group and member fields as in version 0)
import type { Writer } from '../../../writer.js';
import type { DescribeGroupsResponse } from '../types.js';
import { encodeGroups } from '../v0/response.js';

export function encode(writer: Writer, response: DescribeGroupsResponse): void {
  writer.int32(response.throttleTimeMs);
  encodeGroups(writer, response.groups, { memberInstanceId: false, authorizedOperations: false });
}
