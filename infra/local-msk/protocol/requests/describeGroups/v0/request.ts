// DescribeGroups Request (Version: 0) => [groups]
//   groups => STRING
import type { Reader } from '../../../reader.js';
import type { DescribeGroupsRequest } from '../types.js';

export function decode(reader: Reader): DescribeGroupsRequest {
  return { groups: reader.array((r) => r.string()), includeAuthorizedOperations: false };
}
