/**
 * Structured logging for the detector: one JSON object per line, as CloudWatch Logs Insights reads
 * them. Invariant: callers pass counts, coordinates, versions and error descriptions only — never
 * log text (attacker-controlled) and never configuration values (which may hold secrets).
 * The interface is a superset of the ModelManager's logger, so one logger serves both.
 */
export interface DetectorLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /**
   * False when INFO lines are dropped (the level is WARN or above): callers skip building fields
   * for lines nobody reads. Absent means enabled.
   */
  infoEnabled?(): boolean;
}

type Level = 'info' | 'warn' | 'error';

/** Writes `{"level","component":"detector","message",...fields}` lines to stdout (stderr for errors). */
export function createJsonLineLogger(write: (level: Level, line: string) => void = defaultWrite): DetectorLogger {
  const emit = (level: Level, message: string, fields: Record<string, unknown> = {}): void => {
    write(level, JSON.stringify({ level, component: 'detector', message, ...fields }));
  };
  return {
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
    infoEnabled: () => true,
  };
}

function defaultWrite(level: Level, line: string): void {
  if (level === 'error') console.error(line);
  else console.log(line);
}

/**
 * "<Name>: <message>" for a log line. Only for failures of dependencies and training (whose
 * messages name operations, keys and SQLSTATEs, with secrets redacted), never for a record's
 * validation error (which may quote its text).
 */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
