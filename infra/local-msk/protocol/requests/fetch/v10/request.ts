// Fetch Request (Version: 10) => replica_id max_wait_time min_bytes max_bytes isolation_level session_id session_epoch [topics] [forgotten_topics_data]
//   (same grammar as version 9)
export { decode } from '../v9/request.js';
