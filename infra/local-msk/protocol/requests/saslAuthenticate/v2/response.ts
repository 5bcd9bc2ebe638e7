// SaslAuthenticate Response (Version: 2) => error_code error_message auth_bytes session_lifetime_ms TAG_BUFFER
//   error_code => INT16
//   error_message => COMPACT_NULLABLE_STRING
//   auth_bytes => COMPACT_BYTES
//   session_lifetime_ms => INT64
//   (response header v1: the correlation id followed by a TAG_BUFFER)
import type { Writer } from '../../../writer.js';
import type { SaslAuthenticateResponse } from '../types.js';

export function encode(writer: Writer, response: SaslAuthenticateResponse): void {
  writer.int16(response.errorCode);
  writer.compactNullableString(response.errorMessage);
  writer.compactBytes(response.authBytes);
  writer.int64(response.sessionLifetimeMs);
  writer.emptyTaggedFields();
}
