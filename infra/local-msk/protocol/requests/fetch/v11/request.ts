// Fetch Request (Version: 11) => replica_id max_wait_time min_bytes max_bytes isolation_level session_id session_epoch [topics] [forgotten_topics_data] rack_id
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
//   rack_id => STRING
import type { Reader } from '../../../reader.js';
import type { FetchRequest } from '../types.js';
import { decode as decodeV9 } from '../v9/request.js';

export function decode(reader: Reader): FetchRequest {
  const request = decodeV9(reader);
  // librdkafka sends a null rack id when client.rack is unset; read it as "".
  request.rackId = reader.nullableString() ?? '';
  return request;
}
