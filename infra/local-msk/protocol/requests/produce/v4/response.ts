// Produce Response (Version: 4) => [responses] throttle_time_ms
//   (same grammar as version 3)
export { encode } from '../v3/response.js';
