// CreatePartitions Request (Version: 0) => [topics] timeout_ms validate_only
//   topics => name count [assignments]
//     name => STRING
//     count => INT32
//     assignments => [broker_ids]
//       broker_ids => INT32
//   timeout_ms => INT32
//   validate_only => BOOLEAN
// (assignments is a nullable array: null lets the broker place the new partitions)
import type { Reader } from '../../../reader.js';
import type { CreatePartitionsRequest } from '../types.js';

export function decode(reader: Reader): CreatePartitionsRequest {
  const topics = reader.array((r) => ({
    name: r.string(),
    count: r.int32(),
    assignments: r.nullableArray((a) => ({ brokerIds: a.array((b) => b.int32()) })),
  }));
  const timeoutMs = reader.int32();
  const validateOnly = reader.boolean();
  return { topics, timeoutMs, validateOnly };
}
