import { versionCodec } from '../../api.js';
import type { JoinGroupRequest, JoinGroupResponse } from './types.js';
import * as v0Request from './v0/request.js';
import * as v0Response from './v0/response.js';
import * as v1Request from './v1/request.js';
import * as v1Response from './v1/response.js';
import * as v2Request from './v2/request.js';
import * as v2Response from './v2/response.js';
import * as v3Request from './v3/request.js';
import * as v3Response from './v3/response.js';
import * as v4Request from './v4/request.js';
import * as v4Response from './v4/response.js';
import * as v5Request from './v5/request.js';
import * as v5Response from './v5/response.js';

export const joinGroupCodecs = [
  versionCodec<JoinGroupRequest, JoinGroupResponse>(0, v0Request, v0Response),
  versionCodec<JoinGroupRequest, JoinGroupResponse>(1, v1Request, v1Response),
  versionCodec<JoinGroupRequest, JoinGroupResponse>(2, v2Request, v2Response),
  versionCodec<JoinGroupRequest, JoinGroupResponse>(3, v3Request, v3Response),
  versionCodec<JoinGroupRequest, JoinGroupResponse>(4, v4Request, v4Response),
  versionCodec<JoinGroupRequest, JoinGroupResponse>(5, v5Request, v5Response),
];

export type { JoinGroupRequest, JoinGroupResponse } from './types.js';
