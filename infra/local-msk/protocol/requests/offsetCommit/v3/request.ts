// OffsetCommit Request (Version: 3) => group_id generation_id member_id retention_time_ms [topics]
//   (same grammar as version 2)
export { decode } from '../v2/request.js';
