import { ApiKey } from '../../protocol/api-keys.js';
import { saslAuthenticateCodecs, type SaslAuthenticateRequest, type SaslAuthenticateResponse } from '../../protocol/requests/saslAuthenticate/index.js';
import type { ApiHandler } from '../handler.js';

/**
 * One SASL token of the exchange SaslHandshake started. A failure is answered with
 * SASL_AUTHENTICATION_FAILED and the connection closed after it, as Kafka does. The log line
 * names the mechanism and reason, never the token (it carries passwords or signed URLs).
 */
export const saslAuthenticateHandler: ApiHandler<SaslAuthenticateRequest, SaslAuthenticateResponse> = {
  apiKey: ApiKey.SaslAuthenticate,
  name: 'SaslAuthenticate',
  codecs: saslAuthenticateCodecs,
  handle: (request, context) => {
    const mechanism = context.auth.mechanism;
    const outcome = context.auth.authenticate(request.authBytes, false);
    const fields = { connection: context.connectionId, remote: context.remoteAddress, mechanism };
    if (outcome.principal !== undefined) context.broker.logger.info('client authenticated', { ...fields, principal: outcome.principal });
    else if (outcome.errorCode !== 0) context.broker.logger.warn('SASL authentication refused', { ...fields, reason: outcome.errorMessage });
    return { errorCode: outcome.errorCode, errorMessage: outcome.errorMessage, authBytes: outcome.bytes, sessionLifetimeMs: 0 };
  },
  errorResponse: (_request, errorCode) => ({ errorCode, errorMessage: null, authBytes: Buffer.alloc(0), sessionLifetimeMs: 0 }),
};
