// DeleteTopics Response (Version: 3) => throttle_time_ms [responses]
//   (same grammar as version 1)
export { encode } from '../v1/response.js';
