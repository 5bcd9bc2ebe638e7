// ListGroups Request (Version: 0) =>
import type { Reader } from '../../../reader.js';
import type { ListGroupsRequest } from '../types.js';

export function decode(_reader: Reader): ListGroupsRequest {
  return {};
}
