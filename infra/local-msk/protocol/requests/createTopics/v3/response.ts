// CreateTopics Response (Version: 3) => throttle_time_ms [topics]
//   (same grammar as version 2; the broker answers before throttling)
export { encode } from '../v2/response.js';
