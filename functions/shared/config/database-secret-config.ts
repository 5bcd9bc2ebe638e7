import { matching } from './env-schemas.js';
import { EnvReader, type Env } from './env.js';

export interface DatabaseSecretConfig {
  /** DATABASE_SECRET_ID: the Secrets Manager secret (name or ARN) holding {"url": "postgres://…"}; null when unset. */
  readonly secretId: string | null;
}

/** A secret name (letters, digits and /_+=.@-) or a Secrets Manager secret ARN. */
const secretIdSchema = matching(
  /^(?:arn:aws[a-z-]*:secretsmanager:[a-z]{2}(?:-[a-z]+)+-\d{1,2}:\d{12}:secret:[A-Za-z0-9/_+=.@-]{1,512}|(?!arn:)[A-Za-z0-9/_+=.@-]{1,512})$/,
  2048,
  'a Secrets Manager secret name (letters, digits and /_+=.@-) or a secret ARN',
);

/**
 * Where the database URL comes from on AWS: a Secrets Manager secret read at run time, so the
 * password is never in the function's configuration (which anyone allowed
 * lambda:GetFunctionConfiguration can read). DATABASE_URL and DATABASE_SECRET_ID together are
 * refused: which one wins would be a guess.
 */
export function loadDatabaseSecretConfig(env: Env): DatabaseSecretConfig {
  const reader = new EnvReader(env, 'database secret');
  const secretId = reader.read('DATABASE_SECRET_ID', secretIdSchema) ?? null;
  if (secretId !== null && reader.has('DATABASE_URL')) {
    reader.problem('DATABASE_SECRET_ID', 'and DATABASE_URL are both set; set only one (the secret on AWS, the URL elsewhere)');
  }
  return reader.finish(() => ({ secretId }));
}
