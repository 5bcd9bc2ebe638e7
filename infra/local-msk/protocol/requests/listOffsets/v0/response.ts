// ListOffsets Response (Version: 0) => [responses]
//   responses => topic [partition_responses]
//     topic => STRING
//     partition_responses => partition error_code [old_style_offsets]
//       partition => INT32
//       error_code => INT16
//       old_style_offsets => INT64
import type { Writer } from '../../../writer.js';
import type { ListOffsetsResponse } from '../types.js';

export function encode(writer: Writer, response: ListOffsetsResponse): void {
  writer.array(response.topics, (w, topic) => {
    w.string(topic.name);
    w.array(topic.partitions, (pw, partition) => {
      pw.int32(partition.index).int16(partition.errorCode);
      pw.array(partition.oldStyleOffsets, (ow, offset) => ow.int64(offset));
    });
  });
}
