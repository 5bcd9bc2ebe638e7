import { versionCodec } from '../../api.js';
import type { FindCoordinatorRequest, FindCoordinatorResponse } from './types.js';
import * as v0Request from './v0/request.js';
import * as v0Response from './v0/response.js';
import * as v1Request from './v1/request.js';
import * as v1Response from './v1/response.js';
import * as v2Request from './v2/request.js';
import * as v2Response from './v2/response.js';

export const findCoordinatorCodecs = [
  versionCodec<FindCoordinatorRequest, FindCoordinatorResponse>(0, v0Request, v0Response),
  versionCodec<FindCoordinatorRequest, FindCoordinatorResponse>(1, v1Request, v1Response),
  versionCodec<FindCoordinatorRequest, FindCoordinatorResponse>(2, v2Request, v2Response),
];

export { CoordinatorKeyType, type FindCoordinatorRequest, type FindCoordinatorResponse } from './types.js';
