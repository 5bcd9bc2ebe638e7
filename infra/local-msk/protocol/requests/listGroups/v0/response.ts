// ListGroups Response (Version: 0) => error_code [groups]
//   error_code => INT16
//   groups => group_id protocol_type
//     group_id => STRING
//     protocol_type => STRING
import type { Writer } from '../../../writer.js';
import type { ListGroupsResponse } from '../types.js';

export function encode(writer: Writer, response: ListGroupsResponse): void {
  writer.int16(response.errorCode);
  writer.array(response.groups, (w, group) => {
    w.string(group.groupId).string(group.protocolType);
  });
}
