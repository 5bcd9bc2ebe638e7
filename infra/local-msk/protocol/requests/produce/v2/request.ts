// Produce Request (Version: 2) => acks timeout [topic_data]
//   (same grammar as version 0)
export { decode } from '../v0/request.js';
