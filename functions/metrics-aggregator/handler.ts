import type { Context } from 'aws-lambda';
import { fromProcessEnv, loadKafkaConfig, loadMetricsConfig, type DatabaseConfig } from '../shared/config/index.js';
import { loadDatabaseConfigAtRunTime } from '../shared/config/database-secret.js';
import { createFunctionLogger, type FunctionLogger } from '../shared/logging/function-logger.js';
import { createPool, type PoolConfig } from '../shared/db/index.js';
import { getKafka } from '../shared/kafka/index.js';
import { loadMetricsAggregatorConfig } from './aggregator-config.js';
import { createMetricsAggregator, type MetricsAggregator, type MetricsAggregatorSummary } from './create-metrics-aggregator.js';
import { onDemandAdmin, type OnDemandAdmin } from './lag/on-demand-admin.js';
import { dashboardPublisherFromEnv, type ContainerDashboardPublisher } from '../dashboard-publisher/publisher-from-env.js';

interface Container {
  readonly aggregator: MetricsAggregator;
  readonly pool: { end(): Promise<void> };
  readonly admin: OnDemandAdmin | null;
  /** Publishes the dashboard's data after a batch, at most every few seconds (null: DASHBOARD_BUCKET unset). */
  readonly dashboard: ContainerDashboardPublisher | null;
  readonly logger: FunctionLogger;
}

/** One per warm container: config read, pool created and admin client connected once. */
let container: Container | null = null;

async function containerAggregator(): Promise<Container> {
  if (container) return container;
  const logger = createFunctionLogger('metrics-aggregator');
  const config = fromProcessEnv(loadMetricsAggregatorConfig);
  // DATABASE_URL, or on AWS the Secrets Manager secret DATABASE_SECRET_ID names (read once per container).
  const database = await loadDatabaseConfigAtRunTime(process.env);
  const { experimentId } = fromProcessEnv(loadMetricsConfig);
  // The brokers are only needed when lag is sampled; then their config is checked before any batch is stored.
  const kafka = config.lagSampling ? fromProcessEnv(loadKafkaConfig) : null;
  const admin = kafka && onDemandAdmin(async () => (await getKafka({ config: kafka })).admin());
  const pool = createPool(poolConfig(database));
  const aggregator = createMetricsAggregator({
    db: pool,
    experimentId,
    lag: admin && { admin, topics: config.lagTopics, groups: config.lagConsumerGroups, maxGroups: config.lagMaxGroups },
    log: (line) => logger.line(line),
  });
  const dashboard = dashboardPublisherFromEnv(pool, { log: (line) => logger.line(line) });
  // A Lambda container handles one event at a time, so no second invocation can be creating one meanwhile.
  container = { aggregator, pool, admin, dashboard, logger };
  return container;
}

function poolConfig(database: DatabaseConfig): PoolConfig {
  return {
    host: database.host,
    port: database.port,
    database: database.database,
    user: database.user,
    password: database.password,
    ssl: database.ssl,
    max: database.max,
    connectionTimeoutMs: database.connectionTimeoutMillis,
    applicationName: 'metrics-aggregator',
  };
}

/**
 * The metrics-aggregator Lambda, triggered by MSK events from the metrics topic. Stores every
 * metric record's metrics in performance_metrics, refused records in dead_letters, and one
 * consumer-lag sample per batch in consumer_lag (see createMetricsAggregator for the order and the
 * failure policy). Throws (so the batch is redelivered) when PostgreSQL or the Kafka admin API
 * fails; never because of a bad record. Configuration is read once per container: DATABASE_URL or
 * POSTGRES_*, KAFKA_BOOTSTRAP_SERVERS or MSK_CLUSTER_ARN, KAFKA_TOPIC, LAG_SAMPLING, LAG_TOPICS,
 * LAG_CONSUMER_GROUPS, LAG_MAX_GROUPS, EXPERIMENT_ID, POWERTOOLS_LOG_LEVEL; on AWS DATABASE_SECRET_ID
 * instead of DATABASE_URL; with DASHBOARD_BUCKET set, it also publishes the dashboard's data after a
 * batch (functions/dashboard-publisher). Log lines go through Powertools Logger (JSON, request id, cold start).
 */
export async function handler(event: unknown, context: Pick<Context, 'awsRequestId'> & Partial<Context>): Promise<MetricsAggregatorSummary> {
  const current = await containerAggregator();
  current.logger.startInvocation(context);
  const summary = await current.aggregator.handle(event, { requestId: context.awsRequestId });
  // Best effort: a failed publication is logged, never fails the batch.
  await current.dashboard?.maybePublish();
  return summary;
}

/** Ends the container's pool and admin connection and forgets them (graceful shutdown, tests). */
export async function closeMetricsAggregator(): Promise<void> {
  const closing = container;
  container = null;
  if (!closing) return;
  closing.dashboard?.close();
  await Promise.all([closing.pool.end(), closing.admin?.disconnect()]);
}
