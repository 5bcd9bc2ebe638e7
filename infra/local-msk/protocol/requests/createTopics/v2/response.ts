// CreateTopics Response (Version: 2) => throttle_time_ms [topics]
//   throttle_time_ms => INT32
//   topics => name error_code error_message
//     name => STRING
//     error_code => INT16
//     error_message => NULLABLE_STRING
import type { Writer } from '../../../writer.js';
import type { CreateTopicsResponse } from '../types.js';
import { encode as encodeV1 } from '../v1/response.js';

export function encode(writer: Writer, response: CreateTopicsResponse): void {
  writer.int32(response.throttleTimeMs);
  encodeV1(writer, response);
}
