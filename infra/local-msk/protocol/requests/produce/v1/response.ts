// Produce Response (Version: 1) => [responses] throttle_time_ms
//   responses => topic [partition_responses]
//     topic => STRING
//     partition_responses => partition error_code base_offset
//       partition => INT32
//       error_code => INT16
//       base_offset => INT64
//   throttle_time_ms => INT32
import type { Writer } from '../../../writer.js';
import type { ProducePartitionResponse, ProduceResponse } from '../types.js';
import { writePartition, writeTopics } from '../v0/response.js';

/** Version 1's layout (topics, then throttle time) with a later version's partition fields. */
export function encodeWith(
  writer: Writer,
  response: ProduceResponse,
  writePartitionFields: (writer: Writer, partition: ProducePartitionResponse) => void,
): void {
  writeTopics(writer, response, writePartitionFields);
  writer.int32(response.throttleTimeMs);
}

export function encode(writer: Writer, response: ProduceResponse): void {
  encodeWith(writer, response, writePartition);
}
