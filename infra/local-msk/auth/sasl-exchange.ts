/**
 * One SASL exchange on one connection, server side. Each client token gives one step: a
 * challenge to send back, success (with the server's last token, possibly empty), or failure.
 * Failure reasons are fixed texts written here, never client bytes or secrets, so they may be
 * both logged and sent to the client.
 */
export type SaslStep =
  | { readonly kind: 'challenge'; readonly bytes: Buffer }
  | { readonly kind: 'success'; readonly bytes: Buffer; readonly principal: string }
  | { readonly kind: 'failure'; readonly reason: string };

export interface SaslExchange {
  readonly mechanism: SaslMechanism;
  step(token: Buffer): SaslStep;
}

export const saslMechanisms = ['PLAIN', 'SCRAM-SHA-512', 'OAUTHBEARER'] as const;
export type SaslMechanism = (typeof saslMechanisms)[number];

/** Largest SASL token accepted. An MSK IAM token with an STS session token is about 2–3 KB. */
export const maxSaslTokenBytes = 16 * 1024;

export function failure(reason: string): SaslStep {
  return { kind: 'failure', reason };
}
