import { checkMskIamToken } from './msk-iam-token.js';
import { failure, type SaslExchange, type SaslStep } from './sasl-exchange.js';
import { tokenText } from './sasl-text.js';

/**
 * SASL/OAUTHBEARER server side (RFC 7628 §3.1) for MSK IAM: one client message
 *
 *   gs2-header %x01 *(key "=" value %x01) %x01      with the pair auth=Bearer <token>
 *
 * whose token must be a well-formed, unexpired MSK IAM token for this broker's region
 * (msk-iam-token.ts: the signature itself is not verified). A failure is answered with
 * SASL_AUTHENTICATION_FAILED at once, as MSK's IAM listener does, rather than with RFC 7628's
 * JSON error challenge.
 */
export class OAuthBearerExchange implements SaslExchange {
  readonly mechanism = 'OAUTHBEARER' as const;
  private used = false;

  constructor(
    private readonly region: string,
    private readonly now: () => number,
  ) {}

  step(token: Buffer): SaslStep {
    if (this.used) return failure('OAUTHBEARER takes exactly one message');
    this.used = true;
    const text = tokenText(token, '\x01');
    if (text === null) return failure('invalid OAUTHBEARER message');
    const parts = text.split('\x01');
    // gs2-header, the pairs, then the two empty strings the closing %x01 %x01 leave.
    if (parts.length < 4 || parts[parts.length - 1] !== '' || parts[parts.length - 2] !== '') return failure('invalid OAUTHBEARER message');
    if (!/^[ny],(?:a=[^,]*)?,$/.test(parts[0]!)) return failure('invalid OAUTHBEARER gs2 header');
    const pairs = parts.slice(1, -2);
    let bearer: string | null = null;
    for (const pair of pairs) {
      const match = /^([A-Za-z]+)=(.*)$/s.exec(pair);
      if (!match) return failure('invalid OAUTHBEARER key/value pair');
      if (match[1] === 'auth') {
        if (bearer !== null) return failure('OAUTHBEARER message has two auth values');
        const value = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(match[2]!);
        if (!value) return failure('OAUTHBEARER auth value is not "Bearer <token>"');
        bearer = value[1]!;
      }
    }
    if (bearer === null) return failure('OAUTHBEARER message has no auth value');
    const checked = checkMskIamToken(bearer, this.region, this.now());
    if (!checked.ok) return failure(checked.reason);
    return { kind: 'success', bytes: Buffer.alloc(0), principal: `IAM:${checked.accessKeyId}` };
  }
}
