import { versionCodec } from '../../api.js';
import type { ListGroupsRequest, ListGroupsResponse } from './types.js';
import * as v0Request from './v0/request.js';
import * as v0Response from './v0/response.js';
import * as v1Request from './v1/request.js';
import * as v1Response from './v1/response.js';
import * as v2Request from './v2/request.js';
import * as v2Response from './v2/response.js';

export const listGroupsCodecs = [
  versionCodec<ListGroupsRequest, ListGroupsResponse>(0, v0Request, v0Response),
  versionCodec<ListGroupsRequest, ListGroupsResponse>(1, v1Request, v1Response),
  versionCodec<ListGroupsRequest, ListGroupsResponse>(2, v2Request, v2Response),
];

export type { ListGroupsRequest, ListGroupsResponse } from './types.js';
