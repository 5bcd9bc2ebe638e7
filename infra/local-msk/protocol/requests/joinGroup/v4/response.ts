// JoinGroup Response (Version: 4) => throttle_time_ms error_code generation_id protocol_name leader member_id [members]
//   (same grammar as version 2)
export { encode } from '../v2/response.js';
