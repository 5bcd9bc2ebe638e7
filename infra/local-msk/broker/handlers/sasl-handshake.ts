import { ApiKey } from '../../protocol/api-keys.js';
import { saslHandshakeCodecs, type SaslHandshakeRequest, type SaslHandshakeResponse } from '../../protocol/requests/saslHandshake/index.js';
import type { ApiHandler } from '../handler.js';

/** Picks the connection's SASL mechanism; the state machine lives in auth/connection-auth.ts. */
export const saslHandshakeHandler: ApiHandler<SaslHandshakeRequest, SaslHandshakeResponse> = {
  apiKey: ApiKey.SaslHandshake,
  name: 'SaslHandshake',
  codecs: saslHandshakeCodecs,
  handle: (request, context) => ({
    errorCode: context.auth.handshake(request.mechanism, context.apiVersion),
    mechanisms: context.auth.broker.mechanisms,
  }),
  errorResponse: (_request, errorCode) => ({ errorCode, mechanisms: [] }),
};
