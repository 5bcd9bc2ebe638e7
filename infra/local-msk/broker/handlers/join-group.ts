import { clientHostOf } from '../../groups/client-host.js';
import { ApiKey } from '../../protocol/api-keys.js';
import { joinGroupCodecs, type JoinGroupRequest, type JoinGroupResponse } from '../../protocol/requests/joinGroup/index.js';
import type { ApiHandler } from '../handler.js';

/** Joins the member to its group; the answer is delayed until the rebalance completes. */
export const joinGroupHandler: ApiHandler<JoinGroupRequest, JoinGroupResponse> = {
  apiKey: ApiKey.JoinGroup,
  name: 'JoinGroup',
  codecs: joinGroupCodecs,
  handle: async (request, context) => {
    const result = await context.broker.groups.joinGroup({
      ...request,
      clientId: context.clientId ?? '',
      clientHost: clientHostOf(context.remoteAddress),
      // From v4 on, a first join gets MEMBER_ID_REQUIRED and the id to rejoin with (KIP-394).
      requireKnownMemberId: context.apiVersion >= 4,
    });
    return {
      throttleTimeMs: 0,
      errorCode: result.errorCode,
      generationId: result.generationId,
      protocolName: result.protocolName,
      leader: result.leaderId,
      memberId: result.memberId,
      members: result.members,
    };
  },
  errorResponse: (_request, errorCode) => ({
    throttleTimeMs: 0,
    errorCode,
    generationId: -1,
    protocolName: '',
    leader: '',
    memberId: '',
    members: [],
  }),
};
