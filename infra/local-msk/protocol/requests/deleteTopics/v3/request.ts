// DeleteTopics Request (Version: 3) => [topic_names] timeout_ms
//   (same grammar as version 0)
export { decode } from '../v0/request.js';
