// Produce Response (Version: 0) => [responses]
//   responses => topic [partition_responses]
//     topic => STRING
//     partition_responses => partition error_code base_offset
//       partition => INT32
//       error_code => INT16
//       base_offset => INT64
import type { Writer } from '../../../writer.js';
import type { ProducePartitionResponse, ProduceResponse } from '../types.js';

export function writeTopics(
  writer: Writer,
  response: ProduceResponse,
  writePartition: (writer: Writer, partition: ProducePartitionResponse) => void,
): void {
  writer.array(response.topics, (w, topic) => {
    w.string(topic.name);
    w.array(topic.partitions, writePartition);
  });
}

export function writePartition(writer: Writer, partition: ProducePartitionResponse): void {
  writer.int32(partition.index).int16(partition.errorCode).int64(partition.baseOffset);
}

export function encode(writer: Writer, response: ProduceResponse): void {
  writeTopics(writer, response, writePartition);
}
