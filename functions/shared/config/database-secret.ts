/**
 * The database URL read at run time from AWS Secrets Manager (DATABASE_SECRET_ID), once per
 * container: the secret never sits in the function's configuration, and a warm container asks
 * Secrets Manager once, not per batch. Without DATABASE_SECRET_ID the environment is returned as
 * it is, so DATABASE_URL / POSTGRES_* keep working locally (npm start, compose, LocalStack).
 *
 * The secret is a JSON object with the URL under "url":
 *   {"url": "postgres://app:…@db.cluster-xyz.eu-west-1.rds.amazonaws.com:5432/log_anomaly?sslmode=require"}
 * A rotated secret reaches a container when Lambda replaces it; rotate with two alternating
 * database users so the previous password keeps working until then.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError, InfrastructureError } from '../errors.js';
import { loadDatabaseConfig, type DatabaseConfig } from './database-config.js';
import { loadDatabaseSecretConfig } from './database-secret-config.js';
import type { Env } from './env.js';

/** Reads a secret's string value (the SDK in Lambda; tests may point a client elsewhere). */
export interface SecretSource {
  secretString(secretId: string): Promise<string>;
}

/** Longest secret accepted (Secrets Manager's own limit is 64 KiB). */
const maxSecretChars = 65_536;

/** secret id → its database URL, per container. A failed read is forgotten, so the next invocation retries. */
const urls = new Map<string, Promise<string>>();

let defaultSource: SecretSource | null = null;

/** A SecretSource over an SDK client (region, endpoint and credentials from the client). */
export function secretsManagerSource(client: SecretsManagerClient): SecretSource {
  return {
    async secretString(secretId) {
      let response;
      try {
        response = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
      } catch (error) {
        // The SDK's messages name the secret and the reason (not found, access denied); never its value.
        const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        throw new InfrastructureError(`could not read the database secret ${secretId} from Secrets Manager: ${detail}`, { cause: error });
      }
      if (typeof response.SecretString !== 'string') {
        throw new ConfigError(`the database secret ${secretId} has no SecretString (a binary secret is not supported; store {"url": "postgres://…"})`);
      }
      return response.SecretString;
    },
  };
}

/** `env` with DATABASE_URL taken from the secret DATABASE_SECRET_ID names, or `env` itself when none is named. */
export async function databaseEnvAtRunTime(env: Env, source?: SecretSource): Promise<Env> {
  const { secretId } = loadDatabaseSecretConfig(env);
  if (secretId === null) return env;
  let url = urls.get(secretId);
  if (url === undefined) {
    url = (source ?? sdkSource()).secretString(secretId).then((text) => urlFromSecret(text, secretId));
    urls.set(secretId, url);
    url.catch(() => urls.delete(secretId));
  }
  return { ...env, DATABASE_URL: await url };
}

/** loadDatabaseConfig over databaseEnvAtRunTime: the functions' database settings, secret included. */
export async function loadDatabaseConfigAtRunTime(env: Env, source?: SecretSource): Promise<DatabaseConfig> {
  return loadDatabaseConfig(await databaseEnvAtRunTime(env, source));
}

/** Forgets the cached URLs (tests; a container never needs it). */
export function forgetDatabaseSecrets(): void {
  urls.clear();
}

/** The "url" of the secret's JSON. Messages never quote the secret: it holds a password. */
function urlFromSecret(text: string, secretId: string): string {
  const problem = (what: string) => new ConfigError(`the database secret ${secretId} ${what}; store {"url": "postgres://user:password@host:5432/database"}`);
  if (text.length > maxSecretChars) throw problem(`is longer than ${maxSecretChars} characters`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw problem('is not JSON');
  }
  const url = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>).url : undefined;
  if (typeof url !== 'string' || url.trim() === '') throw problem('has no "url" string');
  return url.trim();
}

function sdkSource(): SecretSource {
  // Region, credentials and any AWS_ENDPOINT_URL_SECRETS_MANAGER come from the Lambda environment.
  defaultSource ??= secretsManagerSource(new SecretsManagerClient({}));
  return defaultSource;
}
