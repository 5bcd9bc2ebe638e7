import { versionCodec } from '../../api.js';
import type { OffsetCommitRequest, OffsetCommitResponse } from './types.js';
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
import * as v6Request from './v6/request.js';
import * as v6Response from './v6/response.js';
import * as v7Request from './v7/request.js';
import * as v7Response from './v7/response.js';

export const offsetCommitCodecs = [
  versionCodec<OffsetCommitRequest, OffsetCommitResponse>(0, v0Request, v0Response),
  versionCodec<OffsetCommitRequest, OffsetCommitResponse>(1, v1Request, v1Response),
  versionCodec<OffsetCommitRequest, OffsetCommitResponse>(2, v2Request, v2Response),
  versionCodec<OffsetCommitRequest, OffsetCommitResponse>(3, v3Request, v3Response),
  versionCodec<OffsetCommitRequest, OffsetCommitResponse>(4, v4Request, v4Response),
  versionCodec<OffsetCommitRequest, OffsetCommitResponse>(5, v5Request, v5Response),
  versionCodec<OffsetCommitRequest, OffsetCommitResponse>(6, v6Request, v6Response),
  versionCodec<OffsetCommitRequest, OffsetCommitResponse>(7, v7Request, v7Response),
];

export type { OffsetCommitRequest, OffsetCommitResponse } from './types.js';
