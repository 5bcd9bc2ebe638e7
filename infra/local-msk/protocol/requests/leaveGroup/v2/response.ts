// LeaveGroup Response (Version: 2) => throttle_time_ms error_code
//   (same grammar as version 1)
export { encode } from '../v1/response.js';
