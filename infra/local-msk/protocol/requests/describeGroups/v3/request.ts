// DescribeGroups Request (Version: 3) => [groups] include_authorized_operations
//   groups => STRING
//   include_authorized_operations => BOOLEAN
import type { Reader } from '../../../reader.js';
import type { DescribeGroupsRequest } from '../types.js';

export function decode(reader: Reader): DescribeGroupsRequest {
  const groups = reader.array((r) => r.string());
  const includeAuthorizedOperations = reader.boolean();
  return { groups, includeAuthorizedOperations };
}
