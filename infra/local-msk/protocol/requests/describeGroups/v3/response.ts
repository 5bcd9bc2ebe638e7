// DescribeGroups Response (Version: 3) => throttle_time_ms [groups]
//   throttle_time_ms => INT32
//   groups => error_code group_id group_state protocol_type protocol_data [members] authorized_operations
//     error_code => INT16
//     group_id => STRING
//     group_state => STRING
//     protocol_type => STRING
//     protocol_data => STRING
//     members => member_id client_id client_host member_metadata member_assignment
//       (member fields as in version 0)
//     authorized_operations => INT32
import type { Writer } from '../../../writer.js';
import type { DescribeGroupsResponse } from '../types.js';
import { encodeGroups } from '../v0/response.js';

export function encode(writer: Writer, response: DescribeGroupsResponse): void {
  writer.int32(response.throttleTimeMs);
  encodeGroups(writer, response.groups, { memberInstanceId: false, authorizedOperations: true });
}
