// OffsetFetch Response (Version: 5) => throttle_time_ms [topics] error_code
//   throttle_time_ms => INT32
//   topics => name [partitions]
//     name => STRING
//     partitions => partition_index committed_offset committed_leader_epoch metadata error_code
//       partition_index => INT32
//       committed_offset => INT64
//       committed_leader_epoch => INT32
//       metadata => NULLABLE_STRING
//       error_code => INT16
//   error_code => INT16
import type { Writer } from '../../../writer.js';
import type { OffsetFetchResponse } from '../types.js';
import { encodeTopics } from '../v1/response.js';

export function encode(writer: Writer, response: OffsetFetchResponse): void {
  writer.int32(response.throttleTimeMs);
  encodeTopics(writer, response.topics, true);
  writer.int16(response.errorCode);
}
