// DeleteTopics Response (Version: 0) => [responses]
//   responses => name error_code
//     name => STRING
//     error_code => INT16
import type { Writer } from '../../../writer.js';
import type { DeleteTopicsResponse } from '../types.js';

export function encode(writer: Writer, response: DeleteTopicsResponse): void {
  writer.array(response.responses, (w, topic) => {
    w.string(topic.name).int16(topic.errorCode);
  });
}
