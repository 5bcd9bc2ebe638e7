// CreatePartitions Response (Version: 0) => throttle_time_ms [results]
//   throttle_time_ms => INT32
//   results => name error_code error_message
//     name => STRING
//     error_code => INT16
//     error_message => NULLABLE_STRING
import type { Writer } from '../../../writer.js';
import type { CreatePartitionsResponse } from '../types.js';

export function encode(writer: Writer, response: CreatePartitionsResponse): void {
  writer.int32(response.throttleTimeMs);
  writer.array(response.results, (w, result) => {
    w.string(result.name).int16(result.errorCode).nullableString(result.errorMessage);
  });
}
