// OffsetCommit Response (Version: 4) => throttle_time_ms [topics]
//   (same grammar as version 3)
export { encode } from '../v3/response.js';
