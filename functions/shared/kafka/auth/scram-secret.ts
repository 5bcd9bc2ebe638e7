/**
 * The SCRAM user and password of an MSK cluster, read at run time from the Secrets Manager
 * secret KAFKA_SCRAM_SECRET_ID, once per container (as database-secret.ts reads the database
 * URL). MSK's convention: the secret is named AmazonMSK_… and holds
 *   {"username": "…", "password": "…"}
 * Messages name the secret, never its value.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretCache, secretObject, secretProblem, secretsManagerSource, type SecretKind, type SecretSource } from '../../config/secrets-manager.js';

export interface ScramCredentials {
  readonly username: string;
  readonly password: string;
}

/** Reads a secret's string value (the SDK in Lambda; tests may point a client elsewhere). */
export type ScramSecretSource = SecretSource;

const scramSecret: SecretKind = { label: 'Kafka SCRAM secret', hint: '{"username": "…", "password": "…"}' };

/** secret id → credentials, per container. */
const cache = new SecretCache(scramSecret, credentialsFromSecret);

/** A source over an SDK client (region, endpoint and credentials from the client). */
export function scramSecretsManagerSource(client: SecretsManagerClient): ScramSecretSource {
  return secretsManagerSource(client, scramSecret);
}

/** The secret's credentials, read once per container. */
export function scramCredentials(secretId: string, source?: ScramSecretSource): Promise<ScramCredentials> {
  return cache.get(secretId, source);
}

/** Forgets the cached credentials (tests; a container never needs it). */
export function forgetScramSecrets(): void {
  cache.clear();
}

function credentialsFromSecret(text: string, secretId: string): ScramCredentials {
  const { username, password } = secretObject(text, secretId, scramSecret);
  const problem = secretProblem(secretId, scramSecret);
  if (typeof username !== 'string' || username === '') throw problem('has no "username" string');
  if (typeof password !== 'string' || password === '') throw problem('has no "password" string');
  return { username, password };
}
