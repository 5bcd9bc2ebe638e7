// SaslAuthenticate Request (Version: 0) => auth_bytes
//   auth_bytes => BYTES
import type { Reader } from '../../../reader.js';
import type { SaslAuthenticateRequest } from '../types.js';

export function decode(reader: Reader): SaslAuthenticateRequest {
  return { authBytes: reader.bytes() };
}
