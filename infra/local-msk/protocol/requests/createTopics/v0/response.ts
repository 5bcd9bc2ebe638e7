// CreateTopics Response (Version: 0) => [topics]
//   topics => name error_code
//     name => STRING
//     error_code => INT16
import type { Writer } from '../../../writer.js';
import type { CreateTopicsResponse } from '../types.js';

export function encode(writer: Writer, response: CreateTopicsResponse): void {
  writer.array(response.topics, (w, topic) => {
    w.string(topic.name).int16(topic.errorCode);
  });
}
