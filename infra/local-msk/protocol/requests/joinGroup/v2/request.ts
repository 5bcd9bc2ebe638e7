// JoinGroup Request (Version: 2) => group_id session_timeout_ms rebalance_timeout_ms member_id protocol_type [protocols]
//   (same grammar as version 1)
export { decode } from '../v1/request.js';
