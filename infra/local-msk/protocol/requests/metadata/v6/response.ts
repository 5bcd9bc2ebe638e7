// Metadata Response (Version: 6) => throttle_time_ms [brokers] cluster_id controller_id [topics]
//   (same grammar as version 5)
export { encode } from '../v5/response.js';
