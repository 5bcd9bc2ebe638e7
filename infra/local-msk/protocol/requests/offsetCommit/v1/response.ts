// OffsetCommit Response (Version: 1) => [topics]
//   (same grammar as version 0)
export { encode } from '../v0/response.js';
