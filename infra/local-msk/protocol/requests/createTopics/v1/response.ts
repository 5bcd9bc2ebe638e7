// CreateTopics Response (Version: 1) => [topics]
//   topics => name error_code error_message
//     name => STRING
//     error_code => INT16
//     error_message => NULLABLE_STRING
import type { Writer } from '../../../writer.js';
import type { CreateTopicsResponse } from '../types.js';

export function encode(writer: Writer, response: CreateTopicsResponse): void {
  writer.array(response.topics, (w, topic) => {
    w.string(topic.name).int16(topic.errorCode).nullableString(topic.errorMessage);
  });
}
