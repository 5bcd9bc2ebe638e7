// ListOffsets Response (Version: 3) => throttle_time_ms [responses]
//   (same grammar as version 2)
export { encode } from '../v2/response.js';
