// ApiVersions Response (Version: 1) => error_code [api_keys] throttle_time_ms
//   error_code => INT16
//   api_keys => api_key min_version max_version
//     api_key => INT16
//     min_version => INT16
//     max_version => INT16
//   throttle_time_ms => INT32
import type { Writer } from '../../../writer.js';
import type { ApiVersionsResponse } from '../types.js';
import { encode as encodeV0 } from '../v0/response.js';

export function encode(writer: Writer, response: ApiVersionsResponse): void {
  encodeV0(writer, response);
  writer.int32(response.throttleTimeMs);
}
