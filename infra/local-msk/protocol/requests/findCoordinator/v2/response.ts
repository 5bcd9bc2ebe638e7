// FindCoordinator Response (Version: 2) => throttle_time_ms error_code error_message node_id host port
//   (same grammar as version 1; throttling now happens after the response is sent)
export { encode } from '../v1/response.js';
