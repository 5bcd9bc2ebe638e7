// ListOffsets Response (Version: 2) => throttle_time_ms [responses]
//   throttle_time_ms => INT32
//   responses => topic [partition_responses]
//     topic => STRING
//     partition_responses => partition error_code timestamp offset
//       partition => INT32
//       error_code => INT16
//       timestamp => INT64
//       offset => INT64
import type { Writer } from '../../../writer.js';
import type { ListOffsetsResponse } from '../types.js';
import { writeTopics } from '../v1/response.js';

export function encode(writer: Writer, response: ListOffsetsResponse): void {
  writer.int32(response.throttleTimeMs);
  writeTopics(writer, response);
}
