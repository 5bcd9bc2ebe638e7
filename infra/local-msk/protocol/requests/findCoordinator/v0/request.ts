// FindCoordinator Request (Version: 0) => key
//   key => STRING
import type { Reader } from '../../../reader.js';
import { CoordinatorKeyType, type FindCoordinatorRequest } from '../types.js';

export function decode(reader: Reader): FindCoordinatorRequest {
  return { key: reader.string(), keyType: CoordinatorKeyType.GROUP };
}
