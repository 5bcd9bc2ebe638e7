import { versionCodec } from '../../api.js';
import type { MetadataRequest, MetadataResponse } from './types.js';
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

export const metadataCodecs = [
  versionCodec<MetadataRequest, MetadataResponse>(0, v0Request, v0Response),
  versionCodec<MetadataRequest, MetadataResponse>(1, v1Request, v1Response),
  versionCodec<MetadataRequest, MetadataResponse>(2, v2Request, v2Response),
  versionCodec<MetadataRequest, MetadataResponse>(3, v3Request, v3Response),
  versionCodec<MetadataRequest, MetadataResponse>(4, v4Request, v4Response),
  versionCodec<MetadataRequest, MetadataResponse>(5, v5Request, v5Response),
  versionCodec<MetadataRequest, MetadataResponse>(6, v6Request, v6Response),
];

export type * from './types.js';
