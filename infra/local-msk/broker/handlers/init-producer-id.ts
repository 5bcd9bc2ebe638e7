import { ApiKey } from '../../protocol/api-keys.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import {
  initProducerIdCodecs,
  type InitProducerIdRequest,
  type InitProducerIdResponse,
} from '../../protocol/requests/initProducerId/index.js';
import { isValidTransactionalId } from '../../producers/transactional-id.js';
import type { ApiHandler } from '../handler.js';

/**
 * Hands idempotent producers a fresh producer id (epoch 0) from storage, so ids never repeat
 * across restarts. Transactions are out of scope for the local MSK: a transactional id is
 * refused with TRANSACTIONAL_ID_AUTHORIZATION_FAILED (non-retriable in clients, so a
 * transactional producer fails fast instead of retrying forever); an empty one is
 * INVALID_REQUEST, as in Kafka, and so is one whose bytes are not UTF-8.
 */
export const initProducerIdHandler: ApiHandler<InitProducerIdRequest, InitProducerIdResponse> = {
  apiKey: ApiKey.InitProducerId,
  name: 'InitProducerId',
  codecs: initProducerIdCodecs,
  handle: async (request, context) => {
    if (request.transactionalId !== null) {
      const errorCode = isValidTransactionalId(request.transactionalId)
        ? ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED
        : ErrorCode.INVALID_REQUEST;
      return { throttleTimeMs: 0, errorCode, producerId: -1, producerEpoch: -1 };
    }
    const producerId = await context.broker.storage.allocateProducerId();
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId, producerEpoch: 0 };
  },
  errorResponse: (_request, errorCode) => ({ throttleTimeMs: 0, errorCode, producerId: -1, producerEpoch: -1 }),
};
