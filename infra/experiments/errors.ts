/**
 * Errors the experiment tools raise on purpose; each message is written for the person at the
 * terminal. They extend the pipeline's hierarchy (functions/shared/errors.ts) and keep `cause`.
 */
import { ConfigError, InfrastructureError, PipelineError } from '../../functions/shared/errors.js';

/** A bad command line: the CLI prints the message and its usage text, and exits with status 2. */
export class ExperimentUsageError extends ConfigError {}

/** A configuration that cannot produce a meaningful measurement; every problem is listed. */
export class ExperimentRefusedError extends ConfigError {
  constructor(readonly problems: readonly string[]) {
    super(`refusing this experiment: ${problems.join('; ')}`);
  }
}

/** Kafka, PostgreSQL or S3 could not be reached or prepared before or during a run. */
export class ExperimentInfrastructureError extends InfrastructureError {}

/** The run was stopped from outside (Ctrl-C, SIGTERM) before it finished. */
export class ExperimentInterruptedError extends PipelineError {}
