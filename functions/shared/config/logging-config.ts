import { EnvReader, type Env } from './env.js';
import { z } from 'zod';
import type { VariableSchema } from './env.js';

/** Powertools Logger's levels, most verbose first; SILENT turns logging off. */
export const logLevels = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'] as const;
export type LogLevel = (typeof logLevels)[number];

export interface LoggingConfig {
  /** POWERTOOLS_LOG_LEVEL (any case), default INFO. */
  readonly level: LogLevel;
}

const levelSchema: VariableSchema<LogLevel> = z
  .string()
  .transform((text) => text.toUpperCase())
  .pipe(z.enum(logLevels, { error: `must be one of ${logLevels.join(', ')}` })) as unknown as VariableSchema<LogLevel>;

/**
 * The functions' log level. Read here rather than left to Powertools because Powertools ignores a
 * value it does not know and logs at INFO: a typo would go unnoticed. The name is Powertools' own,
 * so the same variable means the same thing to both. Lambda's advanced logging controls
 * (AWS_LAMBDA_LOG_LEVEL), when configured on the function, still win inside Powertools.
 */
export function loadLoggingConfig(env: Env): LoggingConfig {
  const reader = new EnvReader(env, 'logging');
  const level = reader.read('POWERTOOLS_LOG_LEVEL', levelSchema, 'INFO');
  return reader.finish(() => ({ level }));
}
