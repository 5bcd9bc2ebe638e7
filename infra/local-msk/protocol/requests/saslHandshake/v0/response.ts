// SaslHandshake Response (Version: 0) => error_code [mechanisms]
//   error_code => INT16
//   mechanisms => STRING
import type { Writer } from '../../../writer.js';
import type { SaslHandshakeResponse } from '../types.js';

export function encode(writer: Writer, response: SaslHandshakeResponse): void {
  writer.int16(response.errorCode);
  writer.array(response.mechanisms, (w, mechanism) => {
    w.string(mechanism);
  });
}
