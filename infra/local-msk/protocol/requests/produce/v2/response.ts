// Produce Response (Version: 2) => [responses] throttle_time_ms
//   responses => topic [partition_responses]
//     topic => STRING
//     partition_responses => partition error_code base_offset log_append_time
//       partition => INT32
//       error_code => INT16
//       base_offset => INT64
//       log_append_time => INT64
//   throttle_time_ms => INT32
import type { Writer } from '../../../writer.js';
import type { ProducePartitionResponse, ProduceResponse } from '../types.js';
import { encodeWith } from '../v1/response.js';

export function writePartition(writer: Writer, partition: ProducePartitionResponse): void {
  writer.int32(partition.index).int16(partition.errorCode).int64(partition.baseOffset).int64(partition.logAppendTimeMs);
}

export function encode(writer: Writer, response: ProduceResponse): void {
  encodeWith(writer, response, writePartition);
}
