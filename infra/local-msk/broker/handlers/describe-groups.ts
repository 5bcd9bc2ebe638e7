import { ApiKey } from '../../protocol/api-keys.js';
import { describeGroupsCodecs, type DescribeGroupsRequest, type DescribeGroupsResponse } from '../../protocol/requests/describeGroups/index.js';
import type { ApiHandler } from '../handler.js';

/** authorized_operations when not requested (Kafka's "omitted" marker). */
const operationsNotRequested = -2147483648;
/** No ACLs here: every group operation is allowed (bits READ=3, DELETE=6, DESCRIBE=8). */
const allGroupOperations = (1 << 3) | (1 << 6) | (1 << 8);

export const describeGroupsHandler: ApiHandler<DescribeGroupsRequest, DescribeGroupsResponse> = {
  apiKey: ApiKey.DescribeGroups,
  name: 'DescribeGroups',
  codecs: describeGroupsCodecs,
  handle: (request, context) => ({
    throttleTimeMs: 0,
    groups: request.groups.map((groupId) => {
      const group = context.broker.groups.describeGroup(groupId);
      return {
        errorCode: group.errorCode,
        groupId: group.groupId,
        groupState: group.state,
        protocolType: group.protocolType,
        protocolData: group.protocol,
        members: group.members,
        authorizedOperations: request.includeAuthorizedOperations ? allGroupOperations : operationsNotRequested,
      };
    }),
  }),
  errorResponse: (request, errorCode) => ({
    throttleTimeMs: 0,
    groups: request.groups.map((groupId) => ({
      errorCode,
      groupId,
      groupState: '',
      protocolType: '',
      protocolData: '',
      members: [],
      authorizedOperations: operationsNotRequested,
    })),
  }),
};
