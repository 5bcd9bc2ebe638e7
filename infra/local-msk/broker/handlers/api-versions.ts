import { ApiKey } from '../../protocol/api-keys.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import { apiVersionsCodecs, type ApiVersionsRequest, type ApiVersionsResponse } from '../../protocol/requests/apiVersions/index.js';
import type { ApiHandler } from '../handler.js';

/** Answers with the version ranges computed from the registry. */
export const apiVersionsHandler: ApiHandler<ApiVersionsRequest, ApiVersionsResponse> = {
  apiKey: ApiKey.ApiVersions,
  name: 'ApiVersions',
  codecs: apiVersionsCodecs,
  handle: (_request, context) => ({
    errorCode: ErrorCode.NONE,
    apiKeys: context.broker.apiVersions.map((range) => ({ ...range })),
    throttleTimeMs: 0,
  }),
  errorResponse: (_request, errorCode) => ({ errorCode, apiKeys: [], throttleTimeMs: 0 }),
};
