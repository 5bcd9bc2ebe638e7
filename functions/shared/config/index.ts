export type { Env } from './env.js';
export { fromProcessEnv, resetProcessEnvCache } from './from-process-env.js';
export { loadKafkaConfig, loadTopicConfig, type KafkaConfig, type KafkaBootstrap, type TopicConfig, type KafkaLogLevel } from './kafka-config.js';
export { loadDatabaseConfig, describeDatabaseConfig, type DatabaseConfig } from './database-config.js';
export { loadModelConfig, modelDefaults, trainingWindowEnv, type ModelConfig } from './model-config.js';
export { loadS3Config, type S3Config } from './s3-config.js';
export { createS3Client } from './s3-client.js';
export { loadProducerConfig, type ProducerConfig } from './producer-config.js';
export { loadMetricsConfig, type MetricsConfig } from './metrics-config.js';
export { loadLoggingConfig, logLevels, type LoggingConfig, type LogLevel } from './logging-config.js';
export { loadDatabaseSecretConfig, type DatabaseSecretConfig } from './database-secret-config.js';
// database-secret.ts (the run-time read) is imported by path: it pulls in the Secrets Manager SDK,
// which only the functions that use the database should bundle.
