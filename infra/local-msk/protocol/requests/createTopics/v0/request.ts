// CreateTopics Request (Version: 0) => [topics] timeout_ms
//   topics => name num_partitions replication_factor [assignments] [configs]
//     name => STRING
//     num_partitions => INT32
//     replication_factor => INT16
//     assignments => partition_index [broker_ids]
//       partition_index => INT32
//       broker_ids => INT32
//     configs => name value
//       name => STRING
//       value => NULLABLE_STRING
//   timeout_ms => INT32
import type { Reader } from '../../../reader.js';
import type { CreatableTopic, CreateTopicsRequest } from '../types.js';

export function decodeTopic(reader: Reader): CreatableTopic {
  return {
    name: reader.string(),
    numPartitions: reader.int32(),
    replicationFactor: reader.int16(),
    assignments: reader.array((r) => ({ partitionIndex: r.int32(), brokerIds: r.array((b) => b.int32()) })),
    configs: reader.array((r) => ({ name: r.string(), value: r.nullableString() })),
  };
}

export function decode(reader: Reader): CreateTopicsRequest {
  const topics = reader.array(decodeTopic);
  const timeoutMs = reader.int32();
  return { topics, timeoutMs, validateOnly: false };
}
