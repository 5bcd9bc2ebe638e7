// Metadata Request (Version: 0) => [topics]
//   topics => name
//     name => STRING
import type { Reader } from '../../../reader.js';
import type { MetadataRequest } from '../types.js';

/** In version 0 an empty list asks for every topic (there is no null list). */
export function decode(reader: Reader): MetadataRequest {
  const topics = reader.array((r) => r.string());
  return { topics: topics.length === 0 ? null : topics, allowAutoTopicCreation: true };
}
