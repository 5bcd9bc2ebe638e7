// CreatePartitions Request (Version: 1) => [topics] timeout_ms validate_only
//   (same grammar as version 0)
export { decode } from '../v0/request.js';
