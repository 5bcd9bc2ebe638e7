// DeleteTopics Request (Version: 0) => [topic_names] timeout_ms
//   topic_names => STRING
//   timeout_ms => INT32
import type { Reader } from '../../../reader.js';
import type { DeleteTopicsRequest } from '../types.js';

export function decode(reader: Reader): DeleteTopicsRequest {
  const topicNames = reader.array((r) => r.string());
  const timeoutMs = reader.int32();
  return { topicNames, timeoutMs };
}
