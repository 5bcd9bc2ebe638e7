// ListOffsets Request (Version: 1) => replica_id [topics]
//   replica_id => INT32
//   topics => topic [partitions]
//     topic => STRING
//     partitions => partition timestamp
//       partition => INT32
//       timestamp => INT64
import type { Reader } from '../../../reader.js';
import type { ListOffsetsRequest, ListOffsetsTopic } from '../types.js';

export function readTopic(reader: Reader): ListOffsetsTopic {
  return {
    name: reader.string(),
    partitions: reader.array((p) => ({ index: p.int32(), timestamp: p.int64(), maxNumOffsets: 1 })),
  };
}

export function decode(reader: Reader): ListOffsetsRequest {
  const replicaId = reader.int32();
  return { replicaId, isolationLevel: 0, topics: reader.array(readTopic) };
}
