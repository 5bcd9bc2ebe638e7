// ListOffsets Request (Version: 3) => replica_id isolation_level [topics]
//   (same grammar as version 2)
export { decode } from '../v2/request.js';
