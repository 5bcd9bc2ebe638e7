/**
 * The functions' logging through Powertools for AWS Lambda's Logger: one JSON object per line with
 * the level, message, timestamp, service, and after startInvocation() the request id, cold start,
 * function name, ARN and memory, which CloudWatch Logs Insights can filter on.
 *
 * Invariant (as before Powertools): callers pass counts, coordinates, versions and error
 * descriptions only, never an event's payload or a log record's text, and never configuration
 * values. Powertools' own event logging (POWERTOOLS_LOGGER_LOG_EVENT) is never switched on: it
 * applies only to its middleware and decorator, which are not used here.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { loadLoggingConfig, type Env } from '../config/index.js';

/** The `service` of every line: the whole pipeline is one service; `component` tells the functions apart. */
export const loggingServiceName = 'log-anomaly-detection';

/** Powertools' numeric threshold of INFO (LogLevelThreshold.INFO): a logger at this level or below writes INFO lines. */
const infoThreshold = 12;

/** A structured line as the handlers' existing sinks build it: `{ level, message, ...fields }`. */
export type LogLine = Record<string, unknown>;

export interface FunctionLogger {
  /** Adds the invocation's context (request id, cold start, function) to the lines that follow. */
  startInvocation(context: Partial<Context>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** Whether INFO lines are written (Powertools' effective level, AWS_LAMBDA_LOG_LEVEL included). */
  infoEnabled(): boolean;
  /** Writes a `{ level, message, ...fields }` line at its level (INFO when the level is missing or unknown). */
  line(line: LogLine): void;
}

/**
 * A logger for one function (`component`, e.g. "producer"), its level from POWERTOOLS_LOG_LEVEL
 * (a bad value throws ConfigError naming it). Create it once per container.
 */
export function createFunctionLogger(component: string, env: Env = process.env): FunctionLogger {
  const { level } = loadLoggingConfig(env);
  const logger = new Logger({ serviceName: loggingServiceName, logLevel: level, persistentKeys: { component } });
  const write = (method: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown> = {}) => logger[method](message, fields);
  return {
    startInvocation(context) {
      logger.addContext(context as Context);
    },
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
    infoEnabled: () => logger.level <= infoThreshold,
    line(line) {
      const { level: lineLevel, message, ...fields } = line;
      const text = typeof message === 'string' ? message : 'log line';
      const method = String(lineLevel).toUpperCase();
      write(method === 'ERROR' ? 'error' : method === 'WARN' || method === 'WARNING' ? 'warn' : 'info', text, fields);
    },
  };
}
