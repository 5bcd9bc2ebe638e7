// ListOffsets Request (Version: 2) => replica_id isolation_level [topics]
//   replica_id => INT32
//   isolation_level => INT8
//   topics => topic [partitions]
//     topic => STRING
//     partitions => partition timestamp
//       partition => INT32
//       timestamp => INT64
import type { Reader } from '../../../reader.js';
import type { ListOffsetsRequest } from '../types.js';
import { readTopic } from '../v1/request.js';

export function decode(reader: Reader): ListOffsetsRequest {
  const replicaId = reader.int32();
  const isolationLevel = reader.int8();
  return { replicaId, isolationLevel, topics: reader.array(readTopic) };
}
