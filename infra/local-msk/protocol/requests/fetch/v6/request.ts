// Fetch Request (Version: 6) => replica_id max_wait_time min_bytes max_bytes isolation_level [topics]
//   (same grammar as version 5)
export { decode } from '../v5/request.js';
