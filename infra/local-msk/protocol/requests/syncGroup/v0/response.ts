// SyncGroup Response (Version: 0) => error_code assignment
//   error_code => INT16
//   assignment => BYTES
import type { Writer } from '../../../writer.js';
import type { SyncGroupResponse } from '../types.js';

export function encode(writer: Writer, response: SyncGroupResponse): void {
  writer.int16(response.errorCode).bytes(response.assignment);
}
