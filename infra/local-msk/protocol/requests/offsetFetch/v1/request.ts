// OffsetFetch Request (Version: 1) => group_id [topics]
//   group_id => STRING
//   topics => name [partition_indexes]
//     name => STRING
//     partition_indexes => INT32
import type { Reader } from '../../../reader.js';
import type { OffsetFetchRequest } from '../types.js';

export function decodeTopic(reader: Reader): { name: string; partitionIndexes: number[] } {
  return { name: reader.string(), partitionIndexes: reader.array((r) => r.int32()) };
}

export function decode(reader: Reader): OffsetFetchRequest {
  const groupId = reader.string();
  const topics = reader.array(decodeTopic);
  return { groupId, topics };
}
