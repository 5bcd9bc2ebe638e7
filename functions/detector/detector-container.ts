import type pg from 'pg';
import {
  createS3Client,
  loadDatabaseConfig,
  loadKafkaConfig,
  loadMetricsConfig,
  loadModelConfig,
  loadS3Config,
  type DatabaseConfig,
  type Env,
  type KafkaConfig,
  type MetricsConfig,
  type ModelConfig,
  type S3Config,
} from '../shared/config/index.js';
import { createPool } from '../shared/db/index.js';
import { ConfigError } from '../shared/errors.js';
import { disconnectKafkaClients, getProducer } from '../shared/kafka/index.js';
import { MetricsEmitter } from '../shared/metrics/index.js';
import { loadDetectionConfig, type DetectionConfig } from '../shared/model/detection-config.js';
import { featureSchemaOf } from '../shared/model/model-artifact.js';
import { S3ModelStore } from '../shared/model/s3-model-store.js';
import { featureSetNamed } from '../shared/features/index.js';
import { createDetector, type Detector } from './create-detector.js';
import { createJsonLineLogger, describeError, type DetectorLogger } from './detector-logger.js';
import { modelPolicyFromConfig } from './model-policy-from-config.js';

/** Everything the detector reads from its environment. */
export interface DetectorConfig {
  readonly database: DatabaseConfig;
  readonly s3: S3Config;
  readonly model: ModelConfig;
  readonly kafka: KafkaConfig;
  readonly metrics: MetricsConfig;
  readonly detection: DetectionConfig;
}

/** A warm container's detector and the clients it owns. */
export interface DetectorContainer {
  readonly detector: Detector;
  /** Ends the pool, destroys the S3 client and disconnects the metrics producer. */
  close(): Promise<void>;
}

/** Fewest pool connections: training holds one for its advisory lock and reads through another. */
const MIN_POOL_CONNECTIONS = 2;

/**
 * Reads every detector setting; one ConfigError lists the problems of all concerns at once
 * (messages name variables, never secret values).
 */
export function loadDetectorConfig(env: Env): DetectorConfig {
  const problems: string[] = [];
  const read = <T>(load: (env: Env) => T): T | undefined => {
    try {
      return load(env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(error.message);
      return undefined;
    }
  };
  const config = {
    database: read(loadDatabaseConfig),
    s3: read(loadS3Config),
    model: read(loadModelConfig),
    kafka: read(loadKafkaConfig),
    metrics: read(loadMetricsConfig),
    detection: read(loadDetectionConfig),
  };
  if (problems.length > 0) throw new ConfigError(`detector configuration is invalid: ${problems.join(' | ')}`);
  return config as DetectorConfig;
}

/**
 * Creates the container-scoped clients (none connects yet: the pool, S3 and the metrics producer
 * connect on first use) and the detector around them.
 */
/**
 * The detector's PostgreSQL pool: `max` connections, broken connections logged (an idle one
 * reconnects on the next query; one in use fails its batch, which is redelivered).
 */
export function createDetectorPool(database: DetectorConfig['database'], logger: DetectorLogger, max: number): pg.Pool {
  return createPool({
    host: database.host,
    port: database.port,
    database: database.database,
    user: database.user,
    password: database.password,
    ssl: database.ssl,
    max,
    connectionTimeoutMs: database.connectionTimeoutMillis,
    applicationName: 'log-anomaly-detector',
    onIdleError: (error) => logger.warn('an idle database connection failed; the next query reconnects', { error: describeError(error) }),
    onInUseError: (error) => logger.warn('a database connection failed while in use; its batch fails and is redelivered', { error: describeError(error) }),
  });
}

export function createDetectorContainer(config: DetectorConfig, options: { logger?: DetectorLogger } = {}): DetectorContainer {
  const logger = options.logger ?? createJsonLineLogger();
  const { database } = config;
  const pool = createDetectorPool(database, logger, Math.max(database.max, MIN_POOL_CONNECTIONS));
  const s3 = createS3Client(config.s3);
  const emitter = new MetricsEmitter({
    // Connected on the first flush and reused while the container is warm.
    producer: { send: async (record) => (await getProducer({ config: config.kafka })).send(record) },
    topic: config.kafka.metricsTopic,
    componentType: 'detector',
    componentId: config.metrics.componentId,
    experimentId: config.metrics.experimentId,
  });
  const detector = createDetector({
    pool,
    modelStore: new S3ModelStore(s3, config.s3.modelBucket, undefined, { featureSchema: featureSchemaOf(featureSetNamed(config.detection.featureSet)) }),
    policy: { ...modelPolicyFromConfig(config.model), featureSet: config.detection.featureSet, thresholdRule: config.detection.thresholdRule },
    emitter,
    logger,
  });
  return {
    detector,
    async close() {
      s3.destroy();
      await Promise.allSettled([pool.end(), disconnectKafkaClients()]);
    },
  };
}
