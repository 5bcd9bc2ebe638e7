// InitProducerId Response (Version: 0) => throttle_time_ms error_code producer_id producer_epoch
//   throttle_time_ms => INT32
//   error_code => INT16
//   producer_id => INT64
//   producer_epoch => INT16
import type { Writer } from '../../../writer.js';
import type { InitProducerIdResponse } from '../types.js';

export function encode(writer: Writer, response: InitProducerIdResponse): void {
  writer.int32(response.throttleTimeMs).int16(response.errorCode).int64(response.producerId).int16(response.producerEpoch);
}
