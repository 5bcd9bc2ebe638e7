import { ApiKey } from '../../protocol/api-keys.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import { listGroupsCodecs, type ListGroupsRequest, type ListGroupsResponse } from '../../protocol/requests/listGroups/index.js';
import type { ApiHandler } from '../handler.js';

export const listGroupsHandler: ApiHandler<ListGroupsRequest, ListGroupsResponse> = {
  apiKey: ApiKey.ListGroups,
  name: 'ListGroups',
  codecs: listGroupsCodecs,
  handle: (_request, context) => ({ throttleTimeMs: 0, errorCode: ErrorCode.NONE, groups: context.broker.groups.listGroups() }),
  errorResponse: (_request, errorCode) => ({ throttleTimeMs: 0, errorCode, groups: [] }),
};
