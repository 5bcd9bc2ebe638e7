import { versionCodec } from '../../api.js';
import type { ProduceRequest, ProduceResponse } from './types.js';
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

export const produceCodecs = [
  versionCodec<ProduceRequest, ProduceResponse>(0, v0Request, v0Response),
  versionCodec<ProduceRequest, ProduceResponse>(1, v1Request, v1Response),
  versionCodec<ProduceRequest, ProduceResponse>(2, v2Request, v2Response),
  versionCodec<ProduceRequest, ProduceResponse>(3, v3Request, v3Response),
  versionCodec<ProduceRequest, ProduceResponse>(4, v4Request, v4Response),
  versionCodec<ProduceRequest, ProduceResponse>(5, v5Request, v5Response),
  versionCodec<ProduceRequest, ProduceResponse>(6, v6Request, v6Response),
  versionCodec<ProduceRequest, ProduceResponse>(7, v7Request, v7Response),
];

export type * from './types.js';
