// SyncGroup Response (Version: 1) => throttle_time_ms error_code assignment
//   throttle_time_ms => INT32
//   error_code => INT16
//   assignment => BYTES
import type { Writer } from '../../../writer.js';
import type { SyncGroupResponse } from '../types.js';
import { encode as encodeV0 } from '../v0/response.js';

export function encode(writer: Writer, response: SyncGroupResponse): void {
  writer.int32(response.throttleTimeMs);
  encodeV0(writer, response);
}
