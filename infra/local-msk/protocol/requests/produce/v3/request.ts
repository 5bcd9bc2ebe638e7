// Produce Request (Version: 3) => transactional_id acks timeout [topic_data]
//   transactional_id => NULLABLE_STRING
//   acks => INT16
//   timeout => INT32
//   topic_data => topic [data]
//     topic => STRING
//     data => partition record_set
//       partition => INT32
//       record_set => RECORDS
import type { Reader } from '../../../reader.js';
import type { ProduceRequest } from '../types.js';

export function decode(reader: Reader): ProduceRequest {
  const transactionalId = reader.nullableString();
  const acks = reader.int16();
  const timeoutMs = reader.int32();
  const topics = reader.array((r) => ({
    name: r.string(),
    partitions: r.array((p) => ({ index: p.int32(), records: p.nullableBytes() })),
  }));
  return { transactionalId, acks, timeoutMs, topics };
}
