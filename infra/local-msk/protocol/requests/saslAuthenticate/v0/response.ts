// SaslAuthenticate Response (Version: 0) => error_code error_message auth_bytes
//   error_code => INT16
//   error_message => NULLABLE_STRING
//   auth_bytes => BYTES
import type { Writer } from '../../../writer.js';
import type { SaslAuthenticateResponse } from '../types.js';

export function encode(writer: Writer, response: SaslAuthenticateResponse): void {
  writer.int16(response.errorCode);
  writer.nullableString(response.errorMessage);
  writer.bytes(response.authBytes);
}
