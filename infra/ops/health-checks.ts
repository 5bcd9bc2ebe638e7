/**
 * The checks of `npm run health`. Each one talks to the real service with the functions' own
 * configuration loaders and clients and returns a verdict with a sentence that says what is wrong
 * and what to do; none throws. `skip` means "not running, and that is allowed" (serverless-offline).
 * The offset-reuse check is in offset-reuse-check.ts.
 */
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import pg from 'pg';
import { createS3Client, describeDatabaseConfig, loadDatabaseConfig, loadKafkaConfig, loadS3Config, type Env, type KafkaConfig } from '../../functions/shared/config/index.js';
import { createKafka, resolveBootstrapServers } from '../../functions/shared/kafka/index.js';
import { kafkaSasl } from '../../functions/shared/kafka/auth/kafka-sasl.js';
import { loadMigrations } from '../db/migration-files.js';
import { pendingMigrations } from '../db/migrator.js';

/** `warn`: worth an operator's attention, yet nothing is down (the exit code stays 0). */
export type Verdict = 'ok' | 'warn' | 'fail' | 'skip';

export interface CheckResult {
  readonly check: string;
  readonly verdict: Verdict;
  readonly detail: string;
}

export async function checkKafka(env: Env): Promise<CheckResult> {
  const check = 'kafka';
  let config: KafkaConfig;
  try {
    config = { ...loadKafkaConfig(env), clientId: 'log-anomaly-health', connectionTimeoutMs: 3_000, requestTimeoutMs: 5_000, logLevel: 'nothing' };
  } catch (error) {
    return { check, verdict: 'fail', detail: (error as Error).message };
  }
  let where = config.bootstrap.kind === 'brokers' ? config.bootstrap.brokers.join(',') : config.bootstrap.clusterArn;
  try {
    const bootstrap = await resolveBootstrapServers(config);
    where = bootstrap.brokers.join(',');
    const admin = createKafka(config, bootstrap, await kafkaSasl(config.auth)).admin({ retry: { retries: 1 } });
    await admin.connect();
    try {
      const cluster = await admin.describeCluster();
      const existing = new Set(await admin.listTopics());
      const missing = [config.logsTopic, config.metricsTopic].filter((topic) => !existing.has(topic));
      if (missing.length > 0) {
        return { check, verdict: 'fail', detail: `${where}: topic ${missing.join(', ')} missing (KAFKA_TOPIC / METRICS_TOPIC); create it, or restart \`npm start\` / \`docker compose up kafka-topics\`` };
      }
      const metadata = await admin.fetchTopicMetadata({ topics: [config.logsTopic, config.metricsTopic] });
      const partitions = [...metadata.topics].sort((a, b) => (a.name === config.logsTopic ? -1 : b.name === config.logsTopic ? 1 : 0)).map((topic) => `${topic.name} (${topic.partitions.length} partition${topic.partitions.length === 1 ? '' : 's'})`);
      return { check, verdict: 'ok', detail: `${where}: ${cluster.brokers.length} broker${cluster.brokers.length === 1 ? '' : 's'}, topics ${partitions.join(', ')}` };
    } finally {
      await admin.disconnect();
    }
  } catch (error) {
    return { check, verdict: 'fail', detail: `${where}: ${(error as Error).message}; is the broker running (\`npm start\`, \`docker compose up -d kafka\`)?` };
  }
}

export async function checkPostgres(env: Env): Promise<CheckResult> {
  const check = 'postgres';
  let config;
  try {
    config = loadDatabaseConfig(env);
  } catch (error) {
    return { check, verdict: 'fail', detail: (error as Error).message };
  }
  const where = describeDatabaseConfig(config);
  const client = new pg.Client({ ...config, password: config.password?.(), ssl: config.ssl ? { rejectUnauthorized: false } : false, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    const version = (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v.split(' ')[0];
    const table = await client.query("SELECT to_regclass('schema_migrations') AS name");
    if (table.rows[0].name === null) return { check, verdict: 'fail', detail: `${where} (PostgreSQL ${version}): no migrations applied; run \`npm run db:migrate\`` };
    const applied = (await client.query<{ version: number; name: string; checksum: string }>('SELECT version, name, checksum FROM schema_migrations ORDER BY version')).rows;
    const pending = pendingMigrations(await loadMigrations(), applied).map((file) => file.fileName);
    if (pending.length > 0) return { check, verdict: 'fail', detail: `${where} (PostgreSQL ${version}): ${pending.length} migration(s) not applied: ${pending.join(', ')}; run \`npm run db:migrate\`` };
    return { check, verdict: 'ok', detail: `${where} (PostgreSQL ${version}): ${applied.length} migrations applied, none pending` };
  } catch (error) {
    return { check, verdict: 'fail', detail: `${where}: ${(error as Error).message}` };
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function checkS3(env: Env): Promise<CheckResult> {
  const check = 's3';
  let config;
  try {
    config = loadS3Config(env);
  } catch (error) {
    return { check, verdict: 'fail', detail: (error as Error).message };
  }
  const where = config.endpoint ?? `AWS S3 (${config.region})`;
  const buckets = [config.modelBucket, ...(env.DASHBOARD_BUCKET?.trim() ? [env.DASHBOARD_BUCKET.trim()] : [])];
  const client = createS3Client(config, { maxAttempts: 1, requestHandler: { requestTimeout: 5_000 } as never });
  try {
    const problems: string[] = [];
    for (const bucket of buckets) {
      try {
        await client.send(new HeadBucketCommand({ Bucket: bucket }));
      } catch (error) {
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if (status === 404) problems.push(`bucket ${bucket} does not exist`);
        else if (status === 403) problems.push(`bucket ${bucket} is not accessible with these credentials (403)`);
        else throw error;
      }
    }
    if (problems.length > 0) return { check, verdict: 'fail', detail: `${where}: ${problems.join('; ')} (MODEL_BUCKET / DASHBOARD_BUCKET; \`npm start\` and localstack/init create them)` };
    return { check, verdict: 'ok', detail: `${where}: buckets ${buckets.join(', ')} exist` };
  } catch (error) {
    return { check, verdict: 'fail', detail: `${where}: ${(error as Error).message || (error as Error).name}; is the S3 emulator running?` };
  } finally {
    client.destroy();
  }
}

/** serverless-offline's Lambda endpoint: reachable, or not running (which is allowed). */
export async function checkOffline(url: string): Promise<CheckResult> {
  const check = 'serverless-offline';
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(3_000) });
    await response.body?.cancel();
    return { check, verdict: 'ok', detail: `${url} answers (HTTP ${response.status})` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if (cause?.code === 'ECONNREFUSED') return { check, verdict: 'skip', detail: `not running at ${url} (start it with \`npx serverless offline start\`)` };
    return { check, verdict: 'fail', detail: `${url}: ${cause?.code ?? cause?.message ?? (error as Error).message}` };
  }
}
