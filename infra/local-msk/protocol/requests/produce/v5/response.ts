// Produce Response (Version: 5) => [responses] throttle_time_ms
//   responses => topic [partition_responses]
//     topic => STRING
//     partition_responses => partition error_code base_offset log_append_time log_start_offset
//       partition => INT32
//       error_code => INT16
//       base_offset => INT64
//       log_append_time => INT64
//       log_start_offset => INT64
//   throttle_time_ms => INT32
import type { Writer } from '../../../writer.js';
import type { ProducePartitionResponse, ProduceResponse } from '../types.js';
import { encodeWith, writePartition as writePartitionV3 } from '../v3/response.js';

function writePartition(writer: Writer, partition: ProducePartitionResponse): void {
  writePartitionV3(writer, partition);
  writer.int64(partition.logStartOffset);
}

export function encode(writer: Writer, response: ProduceResponse): void {
  encodeWith(writer, response, writePartition);
}
