import { versionCodec } from '../../api.js';
import type { InitProducerIdRequest, InitProducerIdResponse } from './types.js';
import * as v0Request from './v0/request.js';
import * as v0Response from './v0/response.js';
import * as v1Request from './v1/request.js';
import * as v1Response from './v1/response.js';

export const initProducerIdCodecs = [
  versionCodec<InitProducerIdRequest, InitProducerIdResponse>(0, v0Request, v0Response),
  versionCodec<InitProducerIdRequest, InitProducerIdResponse>(1, v1Request, v1Response),
];

export type { InitProducerIdRequest, InitProducerIdResponse } from './types.js';
