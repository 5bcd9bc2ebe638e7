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
 * This single broker coordinates every group. Transactions are not implemented, so a
 * transaction coordinator lookup is answered COORDINATOR_NOT_AVAILABLE (a transactional
 * producer then fails after its retries instead of half-working).
 */
export const findCoordinatorHandler: ApiHandler<FindCoordinatorRequest, FindCoordinatorResponse> = {
  apiKey: ApiKey.FindCoordinator,
  name: 'FindCoordinator',
  codecs: findCoordinatorCodecs,
  handle: (request, context) => {
    if (request.keyType === CoordinatorKeyType.TRANSACTION) {
      return failure(ErrorCode.COORDINATOR_NOT_AVAILABLE, 'transactions are not supported by the local MSK');
    }
    if (request.keyType !== CoordinatorKeyType.GROUP) {
      return failure(ErrorCode.INVALID_REQUEST, `unknown coordinator key type ${request.keyType}`);
    }
    const { nodeId, host, port } = context.broker.identity;
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, nodeId, host, port };
  },
};
