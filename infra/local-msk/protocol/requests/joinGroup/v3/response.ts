// JoinGroup Response (Version: 3) => throttle_time_ms error_code generation_id protocol_name leader member_id [members]
//   (same grammar as version 2)
export { encode } from '../v2/response.js';
