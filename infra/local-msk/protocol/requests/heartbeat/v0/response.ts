// Heartbeat Response (Version: 0) => error_code
//   error_code => INT16
import type { Writer } from '../../../writer.js';
import type { HeartbeatResponse } from '../types.js';

export function encode(writer: Writer, response: HeartbeatResponse): void {
  writer.int16(response.errorCode);
}
