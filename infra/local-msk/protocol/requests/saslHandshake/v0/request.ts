// SaslHandshake Request (Version: 0) => mechanism
//   mechanism => STRING
import type { Reader } from '../../../reader.js';
import type { SaslHandshakeRequest } from '../types.js';

export function decode(reader: Reader): SaslHandshakeRequest {
  return { mechanism: reader.string() };
}
