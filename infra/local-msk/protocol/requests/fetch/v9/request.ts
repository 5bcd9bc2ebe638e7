// Fetch Request (Version: 9) => replica_id max_wait_time min_bytes max_bytes isolation_level session_id session_epoch [topics] [forgotten_topics_data]
//   replica_id => INT32
//   max_wait_time => INT32
//   min_bytes => INT32
//   max_bytes => INT32
//   isolation_level => INT8
//   session_id => INT32
//   session_epoch => INT32
//   topics => topic [partitions]
//     topic => STRING
//     partitions => partition current_leader_epoch fetch_offset log_start_offset partition_max_bytes
//       partition => INT32
//       current_leader_epoch => INT32
//       fetch_offset => INT64
//       log_start_offset => INT64
//       partition_max_bytes => INT32
//   forgotten_topics_data => topic [partitions]
//     topic => STRING
//     partitions => INT32
import type { Reader } from '../../../reader.js';
import type { FetchPartition, FetchRequest } from '../types.js';
import { decodeWith } from '../v4/request.js';

function readPartition(reader: Reader): FetchPartition {
  const index = reader.int32();
  const currentLeaderEpoch = reader.int32();
  const fetchOffset = reader.int64();
  const logStartOffset = reader.int64();
  const partitionMaxBytes = reader.int32();
  return { index, currentLeaderEpoch, fetchOffset, logStartOffset, partitionMaxBytes };
}

export function decode(reader: Reader): FetchRequest {
  return decodeWith(reader, { sessions: true, readPartition });
}
