/**
 * Which environment variables the project's code reads, found by running its real configuration
 * loaders on an environment that records every name looked up. A variable a compose service or a
 * deployed function sets that no loader reads is a typo or a leftover.
 */
import {
  loadDatabaseConfig,
  loadDatabaseSecretConfig,
  loadKafkaConfig,
  loadLoggingConfig,
  loadMetricsConfig,
  loadModelConfig,
  loadProducerConfig,
  loadS3Config,
  type Env,
} from '../../functions/shared/config/index.js';
import { databaseConnectionFromEnv } from '../../functions/shared/db/connection-config.js';
import { loadMetricsAggregatorConfig } from '../../functions/metrics-aggregator/aggregator-config.js';
import { loadDashboardPublisherConfig } from '../../functions/dashboard-publisher/publisher-config.js';

const loaders = {
  kafka: loadKafkaConfig,
  database: loadDatabaseConfig,
  s3: loadS3Config,
  model: loadModelConfig,
  metrics: loadMetricsConfig,
  producer: loadProducerConfig,
  databaseConnection: databaseConnectionFromEnv,
  aggregator: loadMetricsAggregatorConfig,
  logging: loadLoggingConfig,
  databaseSecret: loadDatabaseSecretConfig,
  dashboardPublisher: loadDashboardPublisherConfig,
} satisfies Record<string, (env: Env) => unknown>;

export type Concern = keyof typeof loaders;

/** Read by the AWS SDK and Node itself rather than by the project's loaders. */
export const runtimeVariables = new Set(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION', 'AWS_ENDPOINT_URL', 'NODE_OPTIONS']);

/** Variables that, when set, make a loader ignore others. */
const preferredVariables = ['KAFKA_BOOTSTRAP_SERVERS', 'DATABASE_URL', 'AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL_KAFKA'];

export interface EnvReport {
  /** Variables of `env` no loader (and no runtime) reads. */
  readonly unread: string[];
  /** Each loader's error (ConfigError message) for this environment; concerns that loaded are absent. */
  readonly problems: Partial<Record<Concern, string>>;
}

/** Runs every loader on `env`; the loaders' own defaults fill what `env` leaves out. */
export function checkEnvAgainstLoaders(env: Record<string, string>): EnvReport {
  const seen = new Set<string>();
  const recording = new Proxy(env, {
    get(target, name) {
      if (typeof name === 'string') seen.add(name);
      return Reflect.get(target, name);
    },
  });
  // A set KAFKA_BOOTSTRAP_SERVERS (DATABASE_URL, AWS_ENDPOINT_URL_S3) makes the loaders skip the
  // alternative (MSK_CLUSTER_ARN, POSTGRES_*, AWS_ENDPOINT_URL): a second pass without the
  // preferred variables records what the other path reads.
  const alternatives = Object.fromEntries(Object.entries(env).filter(([name]) => !preferredVariables.includes(name)));
  const recordingAlternatives = new Proxy(alternatives, {
    get(target, name) {
      if (typeof name === 'string') seen.add(name);
      return Reflect.get(target, name);
    },
  });
  for (const load of Object.values(loaders) as Array<(env: Env) => unknown>) {
    try {
      load(recordingAlternatives);
    } catch {
      // only the names it looked up matter here
    }
  }
  const problems: Partial<Record<Concern, string>> = {};
  for (const [concern, load] of Object.entries(loaders) as Array<[Concern, (env: Env) => unknown]>) {
    try {
      load(recording);
    } catch (error) {
      problems[concern] = (error as Error).message;
    }
  }
  const unread = Object.keys(env).filter((name) => !seen.has(name) && !runtimeVariables.has(name));
  return { unread, problems };
}
