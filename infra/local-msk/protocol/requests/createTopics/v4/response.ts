// CreateTopics Response (Version: 4) => throttle_time_ms [topics]
//   (same grammar as version 2)
export { encode } from '../v2/response.js';
