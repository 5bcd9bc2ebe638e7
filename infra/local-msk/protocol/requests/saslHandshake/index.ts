import { versionCodec } from '../../api.js';
import type { SaslHandshakeRequest, SaslHandshakeResponse } from './types.js';
import * as v0Request from './v0/request.js';
import * as v0Response from './v0/response.js';
import * as v1Request from './v1/request.js';
import * as v1Response from './v1/response.js';

export const saslHandshakeCodecs = [
  versionCodec<SaslHandshakeRequest, SaslHandshakeResponse>(0, v0Request, v0Response),
  versionCodec<SaslHandshakeRequest, SaslHandshakeResponse>(1, v1Request, v1Response),
];

export type { SaslHandshakeRequest, SaslHandshakeResponse } from './types.js';
