// ApiVersions Response (Version: 0) => error_code [api_keys]
//   error_code => INT16
//   api_keys => api_key min_version max_version
//     api_key => INT16
//     min_version => INT16
//     max_version => INT16
import type { Writer } from '../../../writer.js';
import type { ApiVersionsResponse } from '../types.js';

export function encode(writer: Writer, response: ApiVersionsResponse): void {
  writer.int16(response.errorCode);
  writer.array(response.apiKeys, (w, range) => {
    w.int16(range.apiKey).int16(range.minVersion).int16(range.maxVersion);
  });
}
