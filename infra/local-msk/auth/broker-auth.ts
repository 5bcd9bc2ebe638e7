import { createHmac, randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import { OAuthBearerExchange } from './oauthbearer-exchange.js';
import { PlainExchange } from './plain-exchange.js';
import { deriveScramCredential, scramIterations, type ScramCredential } from './scram-credential.js';
import { ScramSha512Exchange } from './scram-exchange.js';
import type { SaslExchange, SaslMechanism } from './sasl-exchange.js';

/**
 * none: a PLAINTEXT listener (SaslHandshake answers ILLEGAL_SASL_STATE), the default.
 * optional: SASL works, and clients that skip it are served too (handy while migrating).
 * required: a SASL listener: only ApiVersions/SaslHandshake/SaslAuthenticate before authentication.
 */
export type AuthMode = 'none' | 'optional' | 'required';
export const authModes: readonly AuthMode[] = ['none', 'optional', 'required'];

/** A SASL user as the broker keeps it: the name and its SCRAM keys, never the password. */
export interface SaslUser {
  readonly username: string;
  readonly credential: ScramCredential;
}

/** The broker-wide SASL settings and the factory of per-connection exchanges. */
export class BrokerAuth {
  private readonly users: ReadonlyMap<string, ScramCredential>;
  /** Key for the decoy salts of unknown users: random per process, so they look like real salts. */
  private readonly decoyKey = randomBytes(32);

  constructor(
    readonly mode: AuthMode,
    users: readonly SaslUser[],
    /** Region the IAM tokens must be signed for (the cluster's). */
    private readonly region: string,
    private readonly clock: Clock,
  ) {
    this.users = new Map(users.map((user) => [user.username, user.credential]));
  }

  /** Mechanisms SaslHandshake offers: none without auth; PLAIN and SCRAM only when users exist. */
  get mechanisms(): SaslMechanism[] {
    if (this.mode === 'none') return [];
    return this.users.size > 0 ? ['PLAIN', 'SCRAM-SHA-512', 'OAUTHBEARER'] : ['OAUTHBEARER'];
  }

  /** A new exchange for an enabled mechanism (names compared as Kafka does: exactly), else null. */
  newExchange(mechanism: string): SaslExchange | null {
    if (!(this.mechanisms as string[]).includes(mechanism)) return null;
    const lookup = (username: string) => this.users.get(username);
    switch (mechanism as SaslMechanism) {
      case 'PLAIN':
        return new PlainExchange(lookup);
      case 'SCRAM-SHA-512':
        return new ScramSha512Exchange(lookup, (username) => this.decoy(username));
      case 'OAUTHBEARER':
        return new OAuthBearerExchange(this.region, () => this.clock.now());
    }
  }

  /** A credential no password matches, with a salt stable per user name. */
  private decoy(username: string): ScramCredential {
    const salt = createHmac('sha256', this.decoyKey).update(username).digest().subarray(0, 24);
    return { salt, iterations: scramIterations, storedKey: randomBytes(64), serverKey: randomBytes(64) };
  }
}

/** `deriveScramCredential` for a configured user (exported for the config parser). */
export function saslUser(username: string, password: string): SaslUser {
  return { username, credential: deriveScramCredential(password) };
}
