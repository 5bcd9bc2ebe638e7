// FindCoordinator Response (Version: 0) => error_code node_id host port
//   error_code => INT16
//   node_id => INT32
//   host => STRING
//   port => INT32
import type { Writer } from '../../../writer.js';
import type { FindCoordinatorResponse } from '../types.js';

export function encode(writer: Writer, response: FindCoordinatorResponse): void {
  writer.int16(response.errorCode).int32(response.nodeId).string(response.host).int32(response.port);
}
