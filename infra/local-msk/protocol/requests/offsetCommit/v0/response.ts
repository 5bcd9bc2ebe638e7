// OffsetCommit Response (Version: 0) => [topics]
//   topics => name [partitions]
//     name => STRING
//     partitions => partition_index error_code
//       partition_index => INT32
//       error_code => INT16
import type { Writer } from '../../../writer.js';
import type { OffsetCommitResponse } from '../types.js';

export function encode(writer: Writer, response: OffsetCommitResponse): void {
  writer.array(response.topics, (w, topic) => {
    w.string(topic.name);
    w.array(topic.partitions, (pw, partition) => {
      pw.int32(partition.partitionIndex).int16(partition.errorCode);
    });
  });
}
