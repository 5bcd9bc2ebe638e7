import { passwordMatches } from './scram-credential.js';
import type { CredentialLookup } from './scram-exchange.js';
import { failure, type SaslExchange, type SaslStep } from './sasl-exchange.js';
import { tokenText } from './sasl-text.js';

/** Kafka's wording for a wrong PLAIN user or password (the same for both). */
export const invalidPlainCredentials = 'Authentication failed: Invalid username or password';

/**
 * SASL/PLAIN server side (RFC 4616): one message `[authzid] NUL authcid NUL passwd`. The
 * password is checked against the user's stored SCRAM keys, so no password is kept.
 */
export class PlainExchange implements SaslExchange {
  readonly mechanism = 'PLAIN' as const;
  private used = false;

  constructor(private readonly lookup: CredentialLookup) {}

  step(token: Buffer): SaslStep {
    if (this.used) return failure('PLAIN takes exactly one message');
    this.used = true;
    const text = tokenText(token, '\0');
    if (text === null) return failure('invalid PLAIN message');
    const parts = text.split('\0');
    if (parts.length !== 3) return failure('invalid PLAIN message');
    const [authzid, username, password] = parts as [string, string, string];
    if (username === '' || password === '' || username.length > 256 || password.length > 1024) return failure('invalid PLAIN message');
    if (authzid !== '' && authzid !== username) return failure('PLAIN authorization id must be the user name');
    const credential = this.lookup(username);
    if (credential === undefined || !passwordMatches(credential, password)) return failure(invalidPlainCredentials);
    return { kind: 'success', bytes: Buffer.alloc(0), principal: `User:${username}` };
  }
}
