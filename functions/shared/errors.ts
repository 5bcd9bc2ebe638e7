/**
 * The pipeline's error hierarchy. Names end in `Error`; a wrapped failure is kept as `cause`.
 *
 * - ConfigError: a configuration value (env var, option) is missing or invalid. Fix the config.
 * - ValidationError: an input (Kafka record, event payload, file) is malformed. Dead-letter it.
 * - ModelSchemaError: a stored model does not match the code's feature schema. Never score with it.
 * - InfrastructureError: a dependency (PostgreSQL, S3, Kafka) failed. Throw so the event is redelivered.
 *   - StreamConflictError: another writer moved a detector stream's state since it was read (its
 *     compare-and-set failed); the transaction is rolled back. Re-read the state and redo the batch.
 */
export class PipelineError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ConfigError extends PipelineError {}

export class ValidationError extends PipelineError {}

export class ModelSchemaError extends PipelineError {}

export class InfrastructureError extends PipelineError {}

export class StreamConflictError extends InfrastructureError {}
