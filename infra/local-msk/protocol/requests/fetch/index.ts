import { versionCodec } from '../../api.js';
import type { FetchRequest, FetchResponse } from './types.js';
import * as v4Request from './v4/request.js';
import * as v4Response from './v4/response.js';
import * as v5Request from './v5/request.js';
import * as v5Response from './v5/response.js';
import * as v6Request from './v6/request.js';
import * as v6Response from './v6/response.js';
import * as v7Request from './v7/request.js';
import * as v7Response from './v7/response.js';
import * as v8Request from './v8/request.js';
import * as v8Response from './v8/response.js';
import * as v9Request from './v9/request.js';
import * as v9Response from './v9/response.js';
import * as v10Request from './v10/request.js';
import * as v10Response from './v10/response.js';
import * as v11Request from './v11/request.js';
import * as v11Response from './v11/response.js';

export const fetchCodecs = [
  versionCodec<FetchRequest, FetchResponse>(4, v4Request, v4Response),
  versionCodec<FetchRequest, FetchResponse>(5, v5Request, v5Response),
  versionCodec<FetchRequest, FetchResponse>(6, v6Request, v6Response),
  versionCodec<FetchRequest, FetchResponse>(7, v7Request, v7Response),
  versionCodec<FetchRequest, FetchResponse>(8, v8Request, v8Response),
  versionCodec<FetchRequest, FetchResponse>(9, v9Request, v9Response),
  versionCodec<FetchRequest, FetchResponse>(10, v10Request, v10Response),
  versionCodec<FetchRequest, FetchResponse>(11, v11Request, v11Response),
];

export type * from './types.js';
