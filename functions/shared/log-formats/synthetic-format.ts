import { ValidationError } from '../errors.js';
import type { LogRecord } from '../log/log-record.js';
import { validateLogRecord } from '../log/parse-log-record.js';

/** One JSON log record per line (what the producer sends to topic `logs`). */
export function parseSyntheticLine(line: string, lineNumber: number): LogRecord {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (cause) {
    throw new ValidationError(`line ${lineNumber}: not JSON`, { cause });
  }
  try {
    return validateLogRecord(value);
  } catch (error) {
    if (error instanceof ValidationError) throw new ValidationError(`line ${lineNumber}: ${error.message}`, { cause: error });
    throw error;
  }
}
