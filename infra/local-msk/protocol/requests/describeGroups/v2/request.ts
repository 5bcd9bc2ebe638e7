// DescribeGroups Request (Version: 2) => [groups]
//   (same grammar as version 0)
export { decode } from '../v0/request.js';
