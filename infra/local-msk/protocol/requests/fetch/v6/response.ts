// Fetch Response (Version: 6) => throttle_time_ms [responses]
//   (same grammar as version 5)
export { encode } from '../v5/response.js';
