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
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { loadDatabaseConfig, type DatabaseConfig } from './database-config.js';
import { loadDatabaseSecretConfig } from './database-secret-config.js';
import type { Env } from './env.js';
import { SecretCache, secretObject, secretProblem, secretsManagerSource as sourceOf, type SecretKind, type SecretSource } from './secrets-manager.js';

export type { SecretSource } from './secrets-manager.js';

const databaseSecret: SecretKind = { label: 'database secret', hint: '{"url": "postgres://user:password@host:5432/database"}' };

/** secret id → its database URL, per container. */
const urls = new SecretCache(databaseSecret, urlFromSecret);

/** A SecretSource over an SDK client (region, endpoint and credentials from the client). */
export function secretsManagerSource(client: SecretsManagerClient): SecretSource {
  return sourceOf(client, databaseSecret);
}

/** `env` with DATABASE_URL taken from the secret DATABASE_SECRET_ID names, or `env` itself when none is named. */
export async function databaseEnvAtRunTime(env: Env, source?: SecretSource): Promise<Env> {
  const { secretId } = loadDatabaseSecretConfig(env);
  if (secretId === null) return env;
  return { ...env, DATABASE_URL: await urls.get(secretId, source) };
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
  const url = secretObject(text, secretId, databaseSecret).url;
  if (typeof url !== 'string' || url.trim() === '') throw secretProblem(secretId, databaseSecret)('has no "url" string');
  return url.trim();
}
