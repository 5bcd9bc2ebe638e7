// Fetch Response (Version: 7) => throttle_time_ms error_code session_id [responses]
//   throttle_time_ms => INT32
//   error_code => INT16
//   session_id => INT32
//   responses => topic [partition_responses]
//     topic => STRING
//     partition_responses => partition_header record_set
//       partition_header => partition error_code high_watermark last_stable_offset log_start_offset [aborted_transactions]
//         partition => INT32
//         error_code => INT16
//         high_watermark => INT64
//         last_stable_offset => INT64
//         log_start_offset => INT64
//         aborted_transactions => producer_id first_offset
//           producer_id => INT64
//           first_offset => INT64
//       record_set => RECORDS
import type { Writer } from '../../../writer.js';
import type { FetchResponse } from '../types.js';
import { encodeWith } from '../v4/response.js';

export function encode(writer: Writer, response: FetchResponse): void {
  encodeWith(writer, response, { sessions: true, logStartOffset: true, preferredReadReplica: false });
}
