// ListOffsets Request (Version: 0) => replica_id [topics]
//   replica_id => INT32
//   topics => topic [partitions]
//     topic => STRING
//     partitions => partition timestamp max_num_offsets
//       partition => INT32
//       timestamp => INT64
//       max_num_offsets => INT32
import type { Reader } from '../../../reader.js';
import type { ListOffsetsRequest } from '../types.js';

export function decode(reader: Reader): ListOffsetsRequest {
  const replicaId = reader.int32();
  const topics = reader.array((r) => ({
    name: r.string(),
    partitions: r.array((p) => ({ index: p.int32(), timestamp: p.int64(), maxNumOffsets: p.int32() })),
  }));
  return { replicaId, isolationLevel: 0, topics };
}
