/** PostgreSQL access for the pipeline's functions: pool, repositories, advisory lock. */
export { createPool, isPool, type Db, type PoolConfig, type PoolOptions } from './pool.js';
export { databaseConnectionFromEnv, checkConnectionString, type DatabaseConnection, type Env } from './connection-config.js';
export { redactSecrets, sqlState, toPipelineError, withDatabaseErrors } from './database-errors.js';
export { withTransaction, type Session } from './transaction.js';
export { storableText, NUL_REPLACEMENT } from './text-safety.js';
export type { Timestamp } from './input-checks.js';
export { coordinatesKey, type KafkaCoordinates } from './kafka-coordinates.js';
export type { InsertCounts } from './insert-counts.js';
export type { LogRow, NewLog, StoredCoordinates } from './log-rows.js';
export { OFFSET_REUSED_REASON, summarizeOffsetReuse, type OffsetReuseSummary } from './offset-reuse.js';
export type { NewAnomaly } from './anomaly-rows.js';
export { storeDetectorBatch, type DetectorBatch, type DetectorBatchResult, type ScoredBatch } from './detector-batch.js';
export {
  readDetectorStreams,
  writeDetectorStreams,
  requireStreamKey,
  toStreamRow,
  StreamRow,
  MAX_STREAM_KEY_LENGTH,
  MAX_STREAM_STATE_BYTES,
  type StoredDetectorStream,
  type UnchangedDetectorStream,
  type StreamWrite,
  readStreamStatesOfModel,
} from './detector-streams.js';
export { insertDeadLetters, listDeadLetters, MAX_REASON_LENGTH, type NewDeadLetter, type StoredDeadLetter } from './dead-letters.js';
export { recentLogsForTraining, countLogs, countLogsUpTo, MAX_TRAINING_ROWS, type StoredLog } from './stored-logs.js';
export { insertPerformanceMetrics, type NewPerformanceMetric, type MetricSource } from './performance-metrics.js';
export { insertConsumerLag, type NewConsumerLag } from './consumer-lag.js';
export {
  createExperiment,
  finishExperiment,
  getExperiment,
  listExperiments,
  saveExperimentSummary,
  type Experiment,
  type ExperimentFilter,
  type ExperimentStatus,
  type FinishedStatus,
  type NewExperiment,
} from './experiments.js';
export { registerModel, activeModel, type NewModel, type RegisteredModel } from './model-registry.js';
export { withAdvisoryLock, advisoryLockKey, type LockOutcome } from './advisory-lock.js';
