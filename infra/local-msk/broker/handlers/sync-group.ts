import { ApiKey } from '../../protocol/api-keys.js';
import { syncGroupCodecs, type SyncGroupRequest, type SyncGroupResponse } from '../../protocol/requests/syncGroup/index.js';
import type { ApiHandler } from '../handler.js';

/** Followers' answers wait for the leader's assignment. */
export const syncGroupHandler: ApiHandler<SyncGroupRequest, SyncGroupResponse> = {
  apiKey: ApiKey.SyncGroup,
  name: 'SyncGroup',
  codecs: syncGroupCodecs,
  handle: async (request, context) => {
    const result = await context.broker.groups.syncGroup(request);
    return { throttleTimeMs: 0, errorCode: result.errorCode, assignment: result.assignment };
  },
  errorResponse: (_request, errorCode) => ({ throttleTimeMs: 0, errorCode, assignment: Buffer.alloc(0) }),
};
