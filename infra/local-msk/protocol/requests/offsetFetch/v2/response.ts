// OffsetFetch Response (Version: 2) => [topics] error_code
//   topics => name [partitions]
//     name => STRING
//     partitions => partition_index committed_offset metadata error_code
//       partition_index => INT32
//       committed_offset => INT64
//       metadata => NULLABLE_STRING
//       error_code => INT16
//   error_code => INT16
import type { Writer } from '../../../writer.js';
import type { OffsetFetchResponse } from '../types.js';
import { encodeTopics } from '../v1/response.js';

export function encode(writer: Writer, response: OffsetFetchResponse): void {
  encodeTopics(writer, response.topics, false);
  writer.int16(response.errorCode);
}
