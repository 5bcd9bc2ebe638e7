// Fetch Request (Version: 5) => replica_id max_wait_time min_bytes max_bytes isolation_level [topics]
//   replica_id => INT32
//   max_wait_time => INT32
//   min_bytes => INT32
//   max_bytes => INT32
//   isolation_level => INT8
//   topics => topic [partitions]
//     topic => STRING
//     partitions => partition fetch_offset log_start_offset partition_max_bytes
//       partition => INT32
//       fetch_offset => INT64
//       log_start_offset => INT64
//       partition_max_bytes => INT32
import type { Reader } from '../../../reader.js';
import type { FetchPartition, FetchRequest } from '../types.js';
import { decodeWith } from '../v4/request.js';

export function readPartition(reader: Reader): FetchPartition {
  const index = reader.int32();
  const fetchOffset = reader.int64();
  const logStartOffset = reader.int64();
  const partitionMaxBytes = reader.int32();
  return { index, currentLeaderEpoch: -1, fetchOffset, logStartOffset, partitionMaxBytes };
}

export function decode(reader: Reader): FetchRequest {
  return decodeWith(reader, { sessions: false, readPartition });
}
