import { ApiKey } from '../../protocol/api-keys.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import {
  CoordinatorKeyType,
  findCoordinatorCodecs,
  type FindCoordinatorRequest,
  type FindCoordinatorResponse,
} from '../../protocol/requests/findCoordinator/index.js';
import { isWellFormedText } from '../../protocol/kafka-string.js';
import type { ApiHandler } from '../handler.js';

function failure(errorCode: ErrorCode, errorMessage: string): FindCoordinatorResponse {
  return { throttleTimeMs: 0, errorCode, errorMessage, nodeId: -1, host: '', port: -1 };
}

/**
 * This single broker coordinates every group, and is named as the transaction coordinator
 * too: transactions are not implemented, and that lets a transactional producer reach
 * InitProducerId, which refuses it at once with TRANSACTIONAL_ID_AUTHORIZATION_FAILED
 * (a COORDINATOR_NOT_AVAILABLE here would only make clients retry for a long while).
 * A key whose bytes are not UTF-8 is refused here already (INVALID_GROUP_ID /
 * INVALID_REQUEST), as every later request with it would be; other keys are not judged
 * here, as in Kafka.
 */
export const findCoordinatorHandler: ApiHandler<FindCoordinatorRequest, FindCoordinatorResponse> = {
  apiKey: ApiKey.FindCoordinator,
  name: 'FindCoordinator',
  codecs: findCoordinatorCodecs,
  handle: (request, context) => {
    if (request.keyType !== CoordinatorKeyType.GROUP && request.keyType !== CoordinatorKeyType.TRANSACTION) {
      return failure(ErrorCode.INVALID_REQUEST, `unknown coordinator key type ${request.keyType}`);
    }
    if (!isWellFormedText(request.key)) {
      return request.keyType === CoordinatorKeyType.GROUP
        ? failure(ErrorCode.INVALID_GROUP_ID, 'the group id is not valid UTF-8')
        : failure(ErrorCode.INVALID_REQUEST, 'the transactional id is not valid UTF-8');
    }
    const { nodeId, host, port } = context.broker.identity;
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, nodeId, host, port };
  },
  errorResponse: (_request, errorCode) => ({ throttleTimeMs: 0, errorCode, errorMessage: null, nodeId: -1, host: '', port: -1 }),
};
