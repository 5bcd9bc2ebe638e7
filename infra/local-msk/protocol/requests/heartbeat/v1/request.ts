// Heartbeat Request (Version: 1) => group_id generation_id member_id
//   (same grammar as version 0)
export { decode } from '../v0/request.js';
