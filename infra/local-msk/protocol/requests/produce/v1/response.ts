// Produce Response (Version: 1) => [responses] throttle_time_ms
//   responses => topic [partition_responses]
//     topic => STRING
//     partition_responses => partition error_code base_offset
//       partition => INT32
//       error_code => INT16
//       base_offset => INT64
//   throttle_time_ms => INT32
import type { Writer } from '../../../writer.js';
import type { ProduceResponse } from '../types.js';
import { writePartition, writeTopics } from '../v0/response.js';

export function encode(writer: Writer, response: ProduceResponse): void {
  writeTopics(writer, response, writePartition);
  writer.int32(response.throttleTimeMs);
}
