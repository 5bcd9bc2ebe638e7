// OffsetCommit Response (Version: 3) => throttle_time_ms [topics]
//   throttle_time_ms => INT32
//   topics => name [partitions]
//     name => STRING
//     partitions => partition_index error_code
//       partition_index => INT32
//       error_code => INT16
import type { Writer } from '../../../writer.js';
import type { OffsetCommitResponse } from '../types.js';
import { encode as encodeV0 } from '../v0/response.js';

export function encode(writer: Writer, response: OffsetCommitResponse): void {
  writer.int32(response.throttleTimeMs);
  encodeV0(writer, response);
}
