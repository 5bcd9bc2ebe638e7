// DeleteTopics Response (Version: 1) => throttle_time_ms [responses]
//   throttle_time_ms => INT32
//   responses => name error_code
//     name => STRING
//     error_code => INT16
import type { Writer } from '../../../writer.js';
import type { DeleteTopicsResponse } from '../types.js';
import { encode as encodeV0 } from '../v0/response.js';

export function encode(writer: Writer, response: DeleteTopicsResponse): void {
  writer.int32(response.throttleTimeMs);
  encodeV0(writer, response);
}
