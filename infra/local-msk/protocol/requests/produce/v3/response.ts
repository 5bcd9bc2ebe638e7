// Produce Response (Version: 3) => [responses] throttle_time_ms
//   responses => topic [partition_responses]
//     topic => STRING
//     partition_responses => partition error_code base_offset log_append_time
//       partition => INT32
//       error_code => INT16
//       base_offset => INT64
//       log_append_time => INT64
//   throttle_time_ms => INT32
// (same grammar as version 2)
export { encode, writePartition } from '../v2/response.js';
export { encodeWith } from '../v1/response.js';
