/**
 * Secrets read at run time from AWS Secrets Manager, once per container: the one way the functions
 * read a secret (the database URL, the Kafka SCRAM credentials). A secret is a JSON object of at
 * most MAX_SECRET_CHARS; messages name the secret and what is wrong, never its value.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError, InfrastructureError } from '../errors.js';

/** Reads a secret's string value (the SDK in Lambda; tests may point a client elsewhere). */
export interface SecretSource {
  secretString(secretId: string): Promise<string>;
}

/** What a secret is, for messages ("database secret"), and how to store it (a hint). */
export interface SecretKind {
  readonly label: string;
  readonly hint: string;
}

/** Longest secret accepted (Secrets Manager's own limit is 64 KiB). */
export const MAX_SECRET_CHARS = 65_536;

/** A SecretSource over an SDK client (region, endpoint and credentials from the client). */
export function secretsManagerSource(client: SecretsManagerClient, kind: SecretKind): SecretSource {
  return {
    async secretString(secretId) {
      let response;
      try {
        response = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
      } catch (error) {
        // The SDK's messages name the secret and the reason (not found, access denied); never its value.
        const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        throw new InfrastructureError(`could not read the ${kind.label} ${secretId} from Secrets Manager: ${detail}`, { cause: error });
      }
      if (typeof response.SecretString !== 'string') {
        throw new ConfigError(`the ${kind.label} ${secretId} has no SecretString (a binary secret is not supported; store ${kind.hint})`);
      }
      return response.SecretString;
    },
  };
}

/** The secret's JSON object; ConfigError (naming `kind`, never the value) for one too long, not JSON or not an object. */
export function secretObject(text: string, secretId: string, kind: SecretKind): Record<string, unknown> {
  const problem = secretProblem(secretId, kind);
  if (text.length > MAX_SECRET_CHARS) throw problem(`is longer than ${MAX_SECRET_CHARS} characters`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw problem('is not JSON');
  }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
}

/** A ConfigError about the secret: "the <label> <id> <what>; store <hint>". */
export function secretProblem(secretId: string, kind: SecretKind): (what: string) => ConfigError {
  return (what) => new ConfigError(`the ${kind.label} ${secretId} ${what}; store ${kind.hint}`);
}

/**
 * Parsed secrets by id, per container: each is read once; a failed read (or parse) is forgotten,
 * so the next invocation tries again.
 */
export class SecretCache<T> {
  private readonly entries = new Map<string, Promise<T>>();
  private sdk: SecretSource | null = null;

  constructor(
    private readonly kind: SecretKind,
    private readonly parse: (text: string, secretId: string) => T,
  ) {}

  get(secretId: string, source?: SecretSource): Promise<T> {
    let entry = this.entries.get(secretId);
    if (entry === undefined) {
      entry = (source ?? this.sdkSource()).secretString(secretId).then((text) => this.parse(text, secretId));
      this.entries.set(secretId, entry);
      entry.catch(() => this.entries.delete(secretId));
    }
    return entry;
  }

  /** Forgets what was read (tests; a container never needs it). */
  clear(): void {
    this.entries.clear();
  }

  private sdkSource(): SecretSource {
    // Region, credentials and any AWS_ENDPOINT_URL_SECRETS_MANAGER come from the Lambda environment.
    this.sdk ??= secretsManagerSource(new SecretsManagerClient({}), this.kind);
    return this.sdk;
  }
}
