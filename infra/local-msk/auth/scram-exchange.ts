import { randomBytes, timingSafeEqual } from 'node:crypto';
import { hmac, sha512, type ScramCredential } from './scram-credential.js';
import { parseClientFinal, parseClientFirst, type ClientFirst } from './scram-messages.js';
import { failure, type SaslExchange, type SaslStep } from './sasl-exchange.js';
import { tokenText } from './sasl-text.js';

/** Looks a user's credential up; undefined for an unknown user. */
export type CredentialLookup = (username: string) => ScramCredential | undefined;

/** The one message a wrong user or password gets, whichever it was (Kafka's wording). */
export const invalidCredentials = 'Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512';

/**
 * SCRAM-SHA-512 server side (RFC 5802 §3, RFC 7677 for the SHA-2 family): client-first →
 * server-first (salt, iterations, combined nonce) → client-final with proof → server-final
 * with the server signature. An unknown user gets a server-first built from `decoy` (a salt
 * stable per name), so the exchange does not reveal which user names exist; it fails at the
 * proof like a wrong password.
 *
 * The client-final nonce must be the server-first one (RFC 5802 §5.1), or the client's nonce
 * followed by it: librdkafka before 2.6.1 (Debian's kcat links 2.0.2) prepends its own nonce a
 * second time (confluentinc/librdkafka#4895). Kafka 3.x brokers accept that form (before 3.8.1
 * they did not check the nonce; 3.8.1 and 3.9 check that it ends with the server's); Kafka 4
 * requires the exact nonce. Both forms carry the server's random part; the proof covers the
 * nonce as sent.
 */
export class ScramSha512Exchange implements SaslExchange {
  readonly mechanism = 'SCRAM-SHA-512' as const;
  private state: 'first' | 'final' | 'done' = 'first';
  private first: ClientFirst | null = null;
  private credential: ScramCredential | null = null;
  private serverFirst = '';
  private nonce = '';

  constructor(
    private readonly lookup: CredentialLookup,
    private readonly decoy: (username: string) => ScramCredential,
  ) {}

  step(token: Buffer): SaslStep {
    const text = tokenText(token);
    if (text === null) return this.fail('SCRAM message is not printable UTF-8 text');
    if (this.state === 'first') return this.onClientFirst(text);
    if (this.state === 'final') return this.onClientFinal(text);
    return this.fail('SCRAM exchange already finished');
  }

  private fail(reason: string): SaslStep {
    this.state = 'done';
    return failure(reason);
  }

  private onClientFirst(text: string): SaslStep {
    const parsed = parseClientFirst(text);
    if (!parsed.ok) return this.fail(parsed.reason);
    this.first = parsed.value;
    this.credential = this.lookup(parsed.value.username) ?? null;
    const shown = this.credential ?? this.decoy(parsed.value.username);
    this.nonce = parsed.value.clientNonce + randomBytes(24).toString('base64url');
    this.serverFirst = `r=${this.nonce},s=${shown.salt.toString('base64')},i=${shown.iterations}`;
    this.state = 'final';
    return { kind: 'challenge', bytes: Buffer.from(this.serverFirst, 'utf8') };
  }

  private onClientFinal(text: string): SaslStep {
    const parsed = parseClientFinal(text);
    if (!parsed.ok) return this.fail(parsed.reason);
    const final = parsed.value;
    const first = this.first!;
    if (final.nonce !== this.nonce && final.nonce !== first.clientNonce + this.nonce) return this.fail('SCRAM nonce does not match');
    if (!final.channelBinding.equals(Buffer.from(first.gs2Header, 'utf8'))) return this.fail('SCRAM channel binding does not match the gs2 header');
    const credential = this.credential;
    if (credential === null || final.proof.length !== credential.storedKey.length) return this.fail(invalidCredentials);
    const authMessage = `${first.bare},${this.serverFirst},${final.withoutProof}`;
    const clientSignature = hmac(credential.storedKey, authMessage);
    const clientKey = Buffer.alloc(clientSignature.length);
    for (let index = 0; index < clientKey.length; index++) clientKey[index] = final.proof[index]! ^ clientSignature[index]!;
    if (!timingSafeEqual(sha512(clientKey), credential.storedKey)) return this.fail(invalidCredentials);
    this.state = 'done';
    const serverSignature = hmac(credential.serverKey, authMessage).toString('base64');
    return { kind: 'success', bytes: Buffer.from(`v=${serverSignature}`, 'utf8'), principal: `User:${first.username}` };
  }
}
