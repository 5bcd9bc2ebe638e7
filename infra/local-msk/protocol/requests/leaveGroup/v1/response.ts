// LeaveGroup Response (Version: 1) => throttle_time_ms error_code
//   throttle_time_ms => INT32
//   error_code => INT16
import type { Writer } from '../../../writer.js';
import type { LeaveGroupResponse } from '../types.js';

export function encode(writer: Writer, response: LeaveGroupResponse): void {
  writer.int32(response.throttleTimeMs).int16(response.errorCode);
}
