// Metadata Request (Version: 4) => [topics] allow_auto_topic_creation
//   topics => name
//     name => STRING
//   allow_auto_topic_creation => BOOLEAN
import type { Reader } from '../../../reader.js';
import type { MetadataRequest } from '../types.js';

export function decode(reader: Reader): MetadataRequest {
  const topics = reader.nullableArray((r) => r.string());
  return { topics, allowAutoTopicCreation: reader.boolean() };
}
