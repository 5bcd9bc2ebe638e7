/**
 * The runtime's logger for the mapping and the detector: one JSON object per line
 * (`{"level","message",...fields}`), handed to `write`. Both libraries' loggers promise fields
 * free of record text, so the lines are safe to keep in a file.
 */
import type { DetectorLogger } from '../../functions/detector/detector-logger.js';
import type { MappingLogger } from '../event-source-mapping/index.js';

export function jsonLineLogger(write: (line: string) => void): DetectorLogger & MappingLogger {
  const emit = (level: string, message: string, fields: Record<string, unknown> = {}) =>
    write(JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }));
  return {
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
  };
}
