// LeaveGroup Request (Version: 2) => group_id member_id
//   (same grammar as version 0)
export { decode } from '../v0/request.js';
