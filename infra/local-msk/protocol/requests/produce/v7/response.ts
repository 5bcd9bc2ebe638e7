// Produce Response (Version: 7) => [responses] throttle_time_ms
//   (same grammar as version 5)
export { encode } from '../v5/response.js';
