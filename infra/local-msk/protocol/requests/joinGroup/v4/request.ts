// JoinGroup Request (Version: 4) => group_id session_timeout_ms rebalance_timeout_ms member_id protocol_type [protocols]
//   (same grammar as version 1; an empty member_id may be answered MEMBER_ID_REQUIRED with the id to rejoin with)
export { decode } from '../v1/request.js';
