// ListOffsets Response (Version: 1) => [responses]
//   responses => topic [partition_responses]
//     topic => STRING
//     partition_responses => partition error_code timestamp offset
//       partition => INT32
//       error_code => INT16
//       timestamp => INT64
//       offset => INT64
import type { Writer } from '../../../writer.js';
import type { ListOffsetsResponse } from '../types.js';

export function writeTopics(writer: Writer, response: ListOffsetsResponse): void {
  writer.array(response.topics, (w, topic) => {
    w.string(topic.name);
    w.array(topic.partitions, (pw, partition) => {
      pw.int32(partition.index).int16(partition.errorCode).int64(partition.timestamp).int64(partition.offset);
    });
  });
}

export function encode(writer: Writer, response: ListOffsetsResponse): void {
  writeTopics(writer, response);
}
