import { ApiKey } from '../../protocol/api-keys.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import { leaveGroupCodecs, type LeaveGroupRequest, type LeaveGroupResponse } from '../../protocol/requests/leaveGroup/index.js';
import type { ApiHandler } from '../handler.js';

/** v0-v2 answer the single member's outcome as the error code; v3 answers per member. */
export const leaveGroupHandler: ApiHandler<LeaveGroupRequest, LeaveGroupResponse> = {
  apiKey: ApiKey.LeaveGroup,
  name: 'LeaveGroup',
  codecs: leaveGroupCodecs,
  handle: (request, context) => {
    const result = context.broker.groups.leaveGroup(request.groupId, request.members);
    const errorCode =
      context.apiVersion >= 3 || result.errorCode !== ErrorCode.NONE ? result.errorCode : (result.members[0]?.errorCode ?? ErrorCode.NONE);
    return { throttleTimeMs: 0, errorCode, members: result.members };
  },
  errorResponse: (request, errorCode) => ({
    throttleTimeMs: 0,
    errorCode,
    members: request.members.map((member) => ({ ...member, errorCode })),
  }),
};
