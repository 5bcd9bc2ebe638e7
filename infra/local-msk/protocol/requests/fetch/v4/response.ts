// Fetch Response (Version: 4) => throttle_time_ms [responses]
//   throttle_time_ms => INT32
//   responses => topic [partition_responses]
//     topic => STRING
//     partition_responses => partition_header record_set
//       partition_header => partition error_code high_watermark last_stable_offset [aborted_transactions]
//         partition => INT32
//         error_code => INT16
//         high_watermark => INT64
//         last_stable_offset => INT64
//         aborted_transactions => producer_id first_offset
//           producer_id => INT64
//           first_offset => INT64
//       record_set => RECORDS
import type { Writer } from '../../../writer.js';
import type { FetchPartitionResponse, FetchResponse } from '../types.js';

export interface FetchLayout {
  /** v7+: error_code and session_id after throttle_time_ms. */
  sessions: boolean;
  /** v5+: log_start_offset after last_stable_offset. */
  logStartOffset: boolean;
  /** v11+: preferred_read_replica after aborted_transactions. */
  preferredReadReplica: boolean;
}

/** RECORDS: int32 total size, then the batches referenced (not copied) by the writer. */
export function writeRecords(writer: Writer, records: readonly Buffer[] | null): void {
  if (records === null) {
    writer.int32(-1);
    return;
  }
  let size = 0;
  for (const batch of records) size += batch.length;
  writer.int32(size);
  for (const batch of records) writer.raw(batch);
}

function writePartition(writer: Writer, partition: FetchPartitionResponse, layout: FetchLayout): void {
  writer.int32(partition.index).int16(partition.errorCode).int64(partition.highWatermark).int64(partition.lastStableOffset);
  if (layout.logStartOffset) writer.int64(partition.logStartOffset);
  writer.nullableArray(partition.abortedTransactions, (w, aborted) => {
    w.int64(aborted.producerId).int64(aborted.firstOffset);
  });
  if (layout.preferredReadReplica) writer.int32(partition.preferredReadReplica);
  writeRecords(writer, partition.records);
}

export function encodeWith(writer: Writer, response: FetchResponse, layout: FetchLayout): void {
  writer.int32(response.throttleTimeMs);
  if (layout.sessions) writer.int16(response.errorCode).int32(response.sessionId);
  writer.array(response.topics, (w, topic) => {
    w.string(topic.name);
    w.array(topic.partitions, (pw, partition) => writePartition(pw, partition, layout));
  });
}

export function encode(writer: Writer, response: FetchResponse): void {
  encodeWith(writer, response, { sessions: false, logStartOffset: false, preferredReadReplica: false });
}
