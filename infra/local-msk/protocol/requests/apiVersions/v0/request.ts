// ApiVersions Request (Version: 0) =>
import type { Reader } from '../../../reader.js';
import type { ApiVersionsRequest } from '../types.js';

export function decode(_reader: Reader): ApiVersionsRequest {
  return {};
}
