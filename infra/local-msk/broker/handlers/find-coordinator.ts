import { ApiKey } from '../../protocol/api-keys.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import {
  CoordinatorKeyType,
  findCoordinatorCodecs,
  type FindCoordinatorRequest,
  type FindCoordinatorResponse,
} from '../../protocol/requests/findCoordinator/index.js';
import type { ApiHandler } from '../handler.js';

function failure(errorCode: ErrorCode, errorMessage: string): FindCoordinatorResponse {
  return { throttleTimeMs: 0, errorCode, errorMessage, nodeId: -1, host: '', port: -1 };
}

/**
 * This single broker coordinates every group, and is named as the transaction coordinator
 * too: transactions are not implemented, and that lets a transactional producer reach
 * InitProducerId, which refuses it at once with TRANSACTIONAL_ID_AUTHORIZATION_FAILED
 * (a COORDINATOR_NOT_AVAILABLE here would only make clients retry for a long while).
 */
export const findCoordinatorHandler: ApiHandler<FindCoordinatorRequest, FindCoordinatorResponse> = {
  apiKey: ApiKey.FindCoordinator,
  name: 'FindCoordinator',
  codecs: findCoordinatorCodecs,
  handle: (request, context) => {
    if (request.keyType !== CoordinatorKeyType.GROUP && request.keyType !== CoordinatorKeyType.TRANSACTION) {
      return failure(ErrorCode.INVALID_REQUEST, `unknown coordinator key type ${request.keyType}`);
    }
    const { nodeId, host, port } = context.broker.identity;
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, nodeId, host, port };
  },
};
