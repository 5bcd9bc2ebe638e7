import { versionCodec } from '../../api.js';
import type { SaslAuthenticateRequest, SaslAuthenticateResponse } from './types.js';
import * as v0Request from './v0/request.js';
import * as v0Response from './v0/response.js';
import * as v1Request from './v1/request.js';
import * as v1Response from './v1/response.js';
import * as v2Request from './v2/request.js';
import * as v2Response from './v2/response.js';

// kafkajs uses version 1 and Debian's librdkafka (2.0) version 0; Kafka's Java client uses 2, the
// first flexible version (compact encodings, tagged fields, request header v2, response header v1).
export const saslAuthenticateCodecs = [
  versionCodec<SaslAuthenticateRequest, SaslAuthenticateResponse>(0, v0Request, v0Response),
  versionCodec<SaslAuthenticateRequest, SaslAuthenticateResponse>(1, v1Request, v1Response),
  versionCodec<SaslAuthenticateRequest, SaslAuthenticateResponse>(2, v2Request, v2Response, { flexible: true }),
];

export type { SaslAuthenticateRequest, SaslAuthenticateResponse } from './types.js';
