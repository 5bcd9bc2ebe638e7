import type { Context } from 'aws-lambda';
import { databaseEnvAtRunTime } from '../shared/config/database-secret.js';
import { createFunctionLogger, type FunctionLogger } from '../shared/logging/function-logger.js';
import { createDetectorContainer, loadDetectorConfig, type DetectorContainer } from './detector-container.js';
import type { DetectorSummary } from './process-batch.js';

export type { DetectorSummary } from './process-batch.js';

/** Created on the first invocation of a container and reused while it is warm. */
let container: DetectorContainer | null = null;
/** Powertools Logger (JSON lines with request id and cold start); its level from POWERTOOLS_LOG_LEVEL. */
let logger: FunctionLogger | null = null;

/**
 * The detector Lambda, triggered by an MSK (or self-managed Kafka) event-source mapping on the logs
 * topic. Stores every record of the batch — valid logs (scored by the current Isolation Forest,
 * anomalies flagged), and refused records as dead letters — in one idempotent transaction, sends
 * consumer metrics, trains a model when due, and returns the batch summary.
 * Configuration is read once per container (see detector-container.ts for the variables).
 * Throws ValidationError for a payload that is not a Kafka event, ConfigError for a bad
 * environment, InfrastructureError when PostgreSQL/S3 fail (the batch is then redelivered).
 */
export async function handler(event: unknown, context: Partial<Context> = {}): Promise<DetectorSummary> {
  logger ??= createFunctionLogger('detector');
  logger.startInvocation(context);
  // DATABASE_URL, or on AWS the Secrets Manager secret DATABASE_SECRET_ID names (read once per container).
  container ??= createDetectorContainer(loadDetectorConfig(await databaseEnvAtRunTime(process.env)), { logger });
  return container.detector.handle(event);
}

/** Closes and forgets the container's clients: the next invocation is a cold start (tests, shutdown). */
export async function closeDetectorContainer(): Promise<void> {
  const closing = container;
  container = null;
  logger = null;
  await closing?.close();
}
