import { versionCodec } from '../../api.js';
import type { OffsetFetchRequest, OffsetFetchResponse } from './types.js';
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

/** Version 0 (offsets kept in ZooKeeper) is not offered. */
export const offsetFetchCodecs = [
  versionCodec<OffsetFetchRequest, OffsetFetchResponse>(1, v1Request, v1Response),
  versionCodec<OffsetFetchRequest, OffsetFetchResponse>(2, v2Request, v2Response),
  versionCodec<OffsetFetchRequest, OffsetFetchResponse>(3, v3Request, v3Response),
  versionCodec<OffsetFetchRequest, OffsetFetchResponse>(4, v4Request, v4Response),
  versionCodec<OffsetFetchRequest, OffsetFetchResponse>(5, v5Request, v5Response),
];

export type { OffsetFetchRequest, OffsetFetchResponse, OffsetFetchResponsePartition } from './types.js';
