import { versionCodec } from '../../api.js';
import type { SaslAuthenticateRequest, SaslAuthenticateResponse } from './types.js';
import * as v0Request from './v0/request.js';
import * as v0Response from './v0/response.js';
import * as v1Request from './v1/request.js';
import * as v1Response from './v1/response.js';

// Version 2 is the first flexible version (compact encodings, tagged fields, request header
// v2); this broker implements no flexible version yet, so it stops at 1, which kafkajs and
// librdkafka use.
export const saslAuthenticateCodecs = [
  versionCodec<SaslAuthenticateRequest, SaslAuthenticateResponse>(0, v0Request, v0Response),
  versionCodec<SaslAuthenticateRequest, SaslAuthenticateResponse>(1, v1Request, v1Response),
];

export type { SaslAuthenticateRequest, SaslAuthenticateResponse } from './types.js';
