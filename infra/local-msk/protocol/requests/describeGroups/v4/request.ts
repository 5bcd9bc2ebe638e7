// DescribeGroups Request (Version: 4) => [groups] include_authorized_operations
//   (same grammar as version 3)
export { decode } from '../v3/request.js';
