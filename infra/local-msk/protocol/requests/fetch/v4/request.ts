// Fetch Request (Version: 4) => replica_id max_wait_time min_bytes max_bytes isolation_level [topics]
//   replica_id => INT32
//   max_wait_time => INT32
//   min_bytes => INT32
//   max_bytes => INT32
//   isolation_level => INT8
//   topics => topic [partitions]
//     topic => STRING
//     partitions => partition fetch_offset partition_max_bytes
//       partition => INT32
//       fetch_offset => INT64
//       partition_max_bytes => INT32
import type { Reader } from '../../../reader.js';
import type { FetchPartition, FetchRequest } from '../types.js';

/** Reads the common head and the topics with the given partition layout; later versions add around it. */
export function decodeWith(
  reader: Reader,
  options: { sessions: boolean; readPartition: (reader: Reader) => FetchPartition },
): FetchRequest {
  const replicaId = reader.int32();
  const maxWaitMs = reader.int32();
  const minBytes = reader.int32();
  const maxBytes = reader.int32();
  const isolationLevel = reader.int8();
  const sessionId = options.sessions ? reader.int32() : 0;
  const sessionEpoch = options.sessions ? reader.int32() : -1;
  const topics = reader.array((r) => ({ name: r.string(), partitions: r.array(options.readPartition) }));
  const forgottenTopics = options.sessions
    ? reader.array((r) => ({ name: r.string(), partitions: r.array((p) => p.int32()) }))
    : [];
  return { replicaId, maxWaitMs, minBytes, maxBytes, isolationLevel, sessionId, sessionEpoch, topics, forgottenTopics, rackId: '' };
}

function readPartition(reader: Reader): FetchPartition {
  const index = reader.int32();
  const fetchOffset = reader.int64();
  const partitionMaxBytes = reader.int32();
  return { index, currentLeaderEpoch: -1, fetchOffset, logStartOffset: -1, partitionMaxBytes };
}

export function decode(reader: Reader): FetchRequest {
  return decodeWith(reader, { sessions: false, readPartition });
}
