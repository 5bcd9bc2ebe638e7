// InitProducerId Request (Version: 1) => transactional_id transaction_timeout_ms
//   (same grammar as version 0)
export { decode } from '../v0/request.js';
