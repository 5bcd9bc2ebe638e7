import { versionCodec } from '../../api.js';
import type { ListOffsetsRequest, ListOffsetsResponse } from './types.js';
import * as v0Request from './v0/request.js';
import * as v0Response from './v0/response.js';
import * as v1Request from './v1/request.js';
import * as v1Response from './v1/response.js';
import * as v2Request from './v2/request.js';
import * as v2Response from './v2/response.js';
import * as v3Request from './v3/request.js';
import * as v3Response from './v3/response.js';

export const listOffsetsCodecs = [
  versionCodec<ListOffsetsRequest, ListOffsetsResponse>(0, v0Request, v0Response),
  versionCodec<ListOffsetsRequest, ListOffsetsResponse>(1, v1Request, v1Response),
  versionCodec<ListOffsetsRequest, ListOffsetsResponse>(2, v2Request, v2Response),
  versionCodec<ListOffsetsRequest, ListOffsetsResponse>(3, v3Request, v3Response),
];

export { earliestTimestamp, latestTimestamp } from './types.js';
export type * from './types.js';
