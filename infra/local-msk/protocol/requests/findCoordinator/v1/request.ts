// FindCoordinator Request (Version: 1) => key key_type
//   key => STRING
//   key_type => INT8
import type { Reader } from '../../../reader.js';
import type { FindCoordinatorRequest } from '../types.js';

export function decode(reader: Reader): FindCoordinatorRequest {
  const key = reader.string();
  const keyType = reader.int8();
  return { key, keyType };
}
