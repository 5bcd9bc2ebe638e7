// SaslAuthenticate Request (Version: 2) => auth_bytes TAG_BUFFER
//   auth_bytes => COMPACT_BYTES
//   (the first flexible version: request header v2, whose client id is followed by a TAG_BUFFER)
import type { Reader } from '../../../reader.js';
import type { SaslAuthenticateRequest } from '../types.js';

export function decode(reader: Reader): SaslAuthenticateRequest {
  const authBytes = reader.compactBytes();
  reader.skipTaggedFields(); // none is defined for this request
  return { authBytes };
}
