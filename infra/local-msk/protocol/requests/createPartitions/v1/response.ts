// CreatePartitions Response (Version: 1) => throttle_time_ms [results]
//   (same grammar as version 0; the broker answers before throttling)
export { encode } from '../v0/response.js';
