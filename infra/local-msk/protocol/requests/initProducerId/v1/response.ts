// InitProducerId Response (Version: 1) => throttle_time_ms error_code producer_id producer_epoch
//   (same grammar as version 0; the broker answers before throttling)
export { encode } from '../v0/response.js';
