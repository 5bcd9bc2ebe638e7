// Fetch Request (Version: 8) => replica_id max_wait_time min_bytes max_bytes isolation_level session_id session_epoch [topics] [forgotten_topics_data]
//   (same grammar as version 7)
export { decode } from '../v7/request.js';
