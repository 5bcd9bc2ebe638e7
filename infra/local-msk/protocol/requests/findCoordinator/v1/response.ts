// FindCoordinator Response (Version: 1) => throttle_time_ms error_code error_message node_id host port
//   throttle_time_ms => INT32
//   error_code => INT16
//   error_message => NULLABLE_STRING
//   node_id => INT32
//   host => STRING
//   port => INT32
import type { Writer } from '../../../writer.js';
import type { FindCoordinatorResponse } from '../types.js';

export function encode(writer: Writer, response: FindCoordinatorResponse): void {
  writer.int32(response.throttleTimeMs).int16(response.errorCode).nullableString(response.errorMessage);
  writer.int32(response.nodeId).string(response.host).int32(response.port);
}
