// CreateTopics Request (Version: 1) => [topics] timeout_ms validate_only
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
//   validate_only => BOOLEAN
import type { Reader } from '../../../reader.js';
import type { CreateTopicsRequest } from '../types.js';
import { decodeTopic } from '../v0/request.js';

export function decode(reader: Reader): CreateTopicsRequest {
  const topics = reader.array(decodeTopic);
  const timeoutMs = reader.int32();
  const validateOnly = reader.boolean();
  return { topics, timeoutMs, validateOnly };
}
