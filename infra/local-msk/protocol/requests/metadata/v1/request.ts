// Metadata Request (Version: 1) => [topics]
//   topics => name
//     name => STRING
// (a null array asks for every topic; an empty one for none)
import type { Reader } from '../../../reader.js';
import type { MetadataRequest } from '../types.js';

export function decode(reader: Reader): MetadataRequest {
  return { topics: reader.nullableArray((r) => r.string()), allowAutoTopicCreation: true };
}
