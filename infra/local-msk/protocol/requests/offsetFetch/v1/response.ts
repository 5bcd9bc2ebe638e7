// OffsetFetch Response (Version: 1) => [topics]
//   topics => name [partitions]
//     name => STRING
//     partitions => partition_index committed_offset metadata error_code
//       partition_index => INT32
//       committed_offset => INT64
//       metadata => NULLABLE_STRING
//       error_code => INT16
import type { Writer } from '../../../writer.js';
import type { OffsetFetchResponse } from '../types.js';

/** The topics array; v5+ adds committed_leader_epoch after committed_offset. */
export function encodeTopics(writer: Writer, topics: OffsetFetchResponse['topics'], leaderEpoch: boolean): void {
  writer.array(topics, (w, topic) => {
    w.string(topic.name);
    w.array(topic.partitions, (pw, partition) => {
      pw.int32(partition.partitionIndex).int64(partition.committedOffset);
      if (leaderEpoch) pw.int32(partition.committedLeaderEpoch);
      pw.nullableString(partition.metadata).int16(partition.errorCode);
    });
  });
}

export function encode(writer: Writer, response: OffsetFetchResponse): void {
  encodeTopics(writer, response.topics, false);
}
