// DescribeGroups Response (Version: 0) => [groups]
//   groups => error_code group_id group_state protocol_type protocol_data [members]
//     error_code => INT16
//     group_id => STRING
//     group_state => STRING
//     protocol_type => STRING
//     protocol_data => STRING
//     members => member_id client_id client_host member_metadata member_assignment
//       member_id => STRING
//       client_id => STRING
//       client_host => STRING
//       member_metadata => BYTES
//       member_assignment => BYTES
import type { Writer } from '../../../writer.js';
import type { DescribedGroup, DescribedGroupMember, DescribeGroupsResponse } from '../types.js';

export interface DescribeGroupsLayout {
  /** v4+: members carry group_instance_id after member_id. */
  memberInstanceId: boolean;
  /** v3+: groups end with authorized_operations. */
  authorizedOperations: boolean;
}

function encodeMember(writer: Writer, member: DescribedGroupMember, layout: DescribeGroupsLayout): void {
  writer.string(member.memberId);
  if (layout.memberInstanceId) writer.nullableString(member.groupInstanceId);
  writer.string(member.clientId).string(member.clientHost).bytes(member.memberMetadata).bytes(member.memberAssignment);
}

/** The groups array in any version's layout. */
export function encodeGroups(writer: Writer, groups: readonly DescribedGroup[], layout: DescribeGroupsLayout): void {
  writer.array(groups, (w, group) => {
    w.int16(group.errorCode).string(group.groupId).string(group.groupState).string(group.protocolType).string(group.protocolData);
    w.array(group.members, (mw, member) => encodeMember(mw, member, layout));
    if (layout.authorizedOperations) w.int32(group.authorizedOperations);
  });
}

export function encode(writer: Writer, response: DescribeGroupsResponse): void {
  encodeGroups(writer, response.groups, { memberInstanceId: false, authorizedOperations: false });
}
