import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Where the running services are; the inputs of `localServicesEnv`. */
export interface ServiceEndpoints {
  kafkaBootstrap: string;
  clusterArn: string;
  controlPlaneUrl: string;
  databaseUrl: string;
  s3Endpoint: string;
  modelBucket: string;
  dashboardBucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * The variables the functions read (functions/shared/config) for these services, in .env order.
 * Both KAFKA_BOOTSTRAP_SERVERS and MSK_CLUSTER_ARN are set: the explicit list wins, the ARN (with
 * AWS_ENDPOINT_URL_KAFKA) lets the ARN lookup path be exercised by removing the list.
 */
export function localServicesEnv(endpoints: ServiceEndpoints): Record<string, string> {
  return {
    KAFKA_BOOTSTRAP_SERVERS: endpoints.kafkaBootstrap,
    MSK_CLUSTER_ARN: endpoints.clusterArn,
    AWS_ENDPOINT_URL_KAFKA: endpoints.controlPlaneUrl,
    KAFKA_TOPIC: 'logs',
    METRICS_TOPIC: 'metrics',
    DATABASE_URL: endpoints.databaseUrl,
    AWS_ENDPOINT_URL_S3: endpoints.s3Endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    MODEL_BUCKET: endpoints.modelBucket,
    DASHBOARD_BUCKET: endpoints.dashboardBucket,
    AWS_REGION: endpoints.region,
    AWS_ACCESS_KEY_ID: endpoints.accessKeyId,
    AWS_SECRET_ACCESS_KEY: endpoints.secretAccessKey,
  };
}

/** Values are written bare; these characters would need quoting (or be expanded by dotenv-expand). */
const unsafeValue = /[\s#'"`$\\]/;

/** KEY=value lines with a header saying where they came from. Throws on a value that needs quoting. */
export function renderEnvFile(env: Readonly<Record<string, string>>, startedAt: Date): string {
  const lines = [
    '# Written by `npm run local:services` (infra/local-services) on every start; local use only.',
    `# ${startedAt.toISOString()}: the values point at the services that run was serving.`,
  ];
  for (const [name, value] of Object.entries(env)) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(name)) throw new Error(`env variable name ${JSON.stringify(name)} is not NAME_LIKE_THIS`);
    if (unsafeValue.test(value)) throw new Error(`env variable ${name} has a value with spaces, quotes, # or $`);
    lines.push(`${name}=${value}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Writes the file through a temporary name (readers never see half a file); mode 0600. */
export async function writeEnvFile(path: string, contents: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, contents, { mode: 0o600 });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Parses KEY=value lines (comments and blank lines skipped); for tests and tools reading .env back. */
export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const equals = trimmed.indexOf('=');
    if (equals <= 0) continue;
    env[trimmed.slice(0, equals)] = trimmed.slice(equals + 1);
  }
  return env;
}
