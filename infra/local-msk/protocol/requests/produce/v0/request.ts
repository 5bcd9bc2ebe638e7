// Produce Request (Version: 0) => acks timeout [topic_data]
//   acks => INT16
//   timeout => INT32
//   topic_data => topic [data]
//     topic => STRING
//     data => partition record_set
//       partition => INT32
//       record_set => RECORDS
//
// Versions 0-2 are implemented so that clients which gate features on them (librdkafka enables
// gzip only when the broker advertises Produce v0) negotiate fully; their record sets are still
// required to be RecordBatch v2: MessageSet v0/v1 is answered with UNSUPPORTED_FOR_MESSAGE_FORMAT.
import type { Reader } from '../../../reader.js';
import type { ProduceRequest } from '../types.js';

export function decode(reader: Reader): ProduceRequest {
  const acks = reader.int16();
  const timeoutMs = reader.int32();
  const topics = reader.array((r) => ({
    name: r.string(),
    partitions: r.array((p) => ({ index: p.int32(), records: p.nullableBytes() })),
  }));
  return { transactionalId: null, acks, timeoutMs, topics };
}
