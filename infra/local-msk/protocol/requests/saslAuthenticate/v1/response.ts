// SaslAuthenticate Response (Version: 1) => error_code error_message auth_bytes session_lifetime_ms
//   error_code => INT16
//   error_message => NULLABLE_STRING
//   auth_bytes => BYTES
//   session_lifetime_ms => INT64
import type { Writer } from '../../../writer.js';
import type { SaslAuthenticateResponse } from '../types.js';
import { encode as encodeV0 } from '../v0/response.js';

export function encode(writer: Writer, response: SaslAuthenticateResponse): void {
  encodeV0(writer, response);
  writer.int64(response.sessionLifetimeMs);
}
