// ApiVersions Response (Version: 2) => error_code [api_keys] throttle_time_ms
//   (same grammar as version 1)
export { encode } from '../v1/response.js';
