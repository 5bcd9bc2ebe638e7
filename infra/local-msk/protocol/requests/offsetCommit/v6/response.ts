// OffsetCommit Response (Version: 6) => throttle_time_ms [topics]
//   (same grammar as version 3)
export { encode } from '../v3/response.js';
