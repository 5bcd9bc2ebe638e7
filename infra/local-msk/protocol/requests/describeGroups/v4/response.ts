// DescribeGroups Response (Version: 4) => throttle_time_ms [groups]
//   throttle_time_ms => INT32
//   groups => error_code group_id group_state protocol_type protocol_data [members] authorized_operations
//     error_code => INT16
//     group_id => STRING
//     group_state => STRING
//     protocol_type => STRING
//     protocol_data => STRING
//     members => member_id group_instance_id client_id client_host member_metadata member_assignment
//       member_id => STRING
//       group_instance_id => NULLABLE_STRING
//       client_id => STRING
//       client_host => STRING
//       member_metadata => BYTES
//       member_assignment => BYTES
//     authorized_operations => INT32
import type { Writer } from '../../../writer.js';
import type { DescribeGroupsResponse } from '../types.js';
import { encodeGroups } from '../v0/response.js';

export function encode(writer: Writer, response: DescribeGroupsResponse): void {
  writer.int32(response.throttleTimeMs);
  encodeGroups(writer, response.groups, { memberInstanceId: true, authorizedOperations: true });
}
