// OffsetFetch Request (Version: 2) => group_id [topics]
//   group_id => STRING
//   topics => name [partition_indexes]   (nullable: null asks for every committed partition)
//     name => STRING
//     partition_indexes => INT32
import type { Reader } from '../../../reader.js';
import type { OffsetFetchRequest } from '../types.js';
import { decodeTopic } from '../v1/request.js';

export function decode(reader: Reader): OffsetFetchRequest {
  const groupId = reader.string();
  const topics = reader.nullableArray(decodeTopic);
  return { groupId, topics };
}
