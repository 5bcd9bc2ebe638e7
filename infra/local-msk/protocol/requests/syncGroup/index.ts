import { versionCodec } from '../../api.js';
import type { SyncGroupRequest, SyncGroupResponse } from './types.js';
import * as v0Request from './v0/request.js';
import * as v0Response from './v0/response.js';
import * as v1Request from './v1/request.js';
import * as v1Response from './v1/response.js';
import * as v2Request from './v2/request.js';
import * as v2Response from './v2/response.js';
import * as v3Request from './v3/request.js';
import * as v3Response from './v3/response.js';

export const syncGroupCodecs = [
  versionCodec<SyncGroupRequest, SyncGroupResponse>(0, v0Request, v0Response),
  versionCodec<SyncGroupRequest, SyncGroupResponse>(1, v1Request, v1Response),
  versionCodec<SyncGroupRequest, SyncGroupResponse>(2, v2Request, v2Response),
  versionCodec<SyncGroupRequest, SyncGroupResponse>(3, v3Request, v3Response),
];

export type { SyncGroupRequest, SyncGroupResponse } from './types.js';
