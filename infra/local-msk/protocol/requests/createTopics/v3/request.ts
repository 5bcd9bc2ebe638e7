// CreateTopics Request (Version: 3) => [topics] timeout_ms validate_only
//   (same grammar as version 1)
export { decode } from '../v1/request.js';
