// OffsetCommit Response (Version: 2) => [topics]
//   (same grammar as version 0)
export { encode } from '../v0/response.js';
