// InitProducerId Request (Version: 0) => transactional_id transaction_timeout_ms
//   transactional_id => NULLABLE_STRING
//   transaction_timeout_ms => INT32
import type { Reader } from '../../../reader.js';
import type { InitProducerIdRequest } from '../types.js';

export function decode(reader: Reader): InitProducerIdRequest {
  const transactionalId = reader.nullableString();
  const transactionTimeoutMs = reader.int32();
  return { transactionalId, transactionTimeoutMs };
}
