/**
 * The SCRAM user and password of an MSK cluster, read at run time from the Secrets Manager
 * secret KAFKA_SCRAM_SECRET_ID, once per container (as database-secret.ts reads the database
 * URL). MSK's convention: the secret is named AmazonMSK_… and holds
 *   {"username": "…", "password": "…"}
 * Messages name the secret, never its value.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError, InfrastructureError } from '../../errors.js';

export interface ScramCredentials {
  readonly username: string;
  readonly password: string;
}

/** Reads a secret's string value (the SDK in Lambda; tests may point a client elsewhere). */
export interface ScramSecretSource {
  secretString(secretId: string): Promise<string>;
}

/** Secrets Manager's own limit is 64 KiB. */
const maxSecretChars = 65_536;

/** secret id → credentials, per container. A failed read is forgotten, so the next invocation retries. */
const cache = new Map<string, Promise<ScramCredentials>>();
let defaultSource: ScramSecretSource | null = null;

/** A source over an SDK client (region, endpoint and credentials from the client). */
export function scramSecretsManagerSource(client: SecretsManagerClient): ScramSecretSource {
  return {
    async secretString(secretId) {
      let response;
      try {
        response = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
      } catch (error) {
        const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        throw new InfrastructureError(`could not read the Kafka SCRAM secret ${secretId} from Secrets Manager: ${detail}`, { cause: error });
      }
      if (typeof response.SecretString !== 'string') {
        throw new ConfigError(`the Kafka SCRAM secret ${secretId} has no SecretString; store {"username": "…", "password": "…"}`);
      }
      return response.SecretString;
    },
  };
}

/** The secret's credentials, read once per container. */
export function scramCredentials(secretId: string, source?: ScramSecretSource): Promise<ScramCredentials> {
  let entry = cache.get(secretId);
  if (entry === undefined) {
    entry = (source ?? sdkSource()).secretString(secretId).then((text) => credentialsFromSecret(text, secretId));
    cache.set(secretId, entry);
    entry.catch(() => cache.delete(secretId));
  }
  return entry;
}

/** Forgets the cached credentials (tests; a container never needs it). */
export function forgetScramSecrets(): void {
  cache.clear();
}

function credentialsFromSecret(text: string, secretId: string): ScramCredentials {
  const problem = (what: string) => new ConfigError(`the Kafka SCRAM secret ${secretId} ${what}; store {"username": "…", "password": "…"}`);
  if (text.length > maxSecretChars) throw problem(`is longer than ${maxSecretChars} characters`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw problem('is not JSON');
  }
  const fields = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  const { username, password } = fields;
  if (typeof username !== 'string' || username === '') throw problem('has no "username" string');
  if (typeof password !== 'string' || password === '') throw problem('has no "password" string');
  return { username, password };
}

function sdkSource(): ScramSecretSource {
  // Region, credentials and any AWS_ENDPOINT_URL_SECRETS_MANAGER come from the Lambda environment.
  defaultSource ??= scramSecretsManagerSource(new SecretsManagerClient({}));
  return defaultSource;
}
