/**
 * One-line structured logger. Never pass record keys, values or headers to it:
 * log data is attacker-controlled and may carry secrets.
 */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export type LogLevel = 'info' | 'warn' | 'error' | 'silent';

const rank: Record<LogLevel, number> = { info: 0, warn: 1, error: 2, silent: 3 };

/** Writes `level message key=value ...` lines to stderr. */
export function createConsoleLogger(level: LogLevel = 'info', name = 'local-msk'): Logger {
  const line = (lvl: Exclude<LogLevel, 'silent'>, message: string, fields?: Record<string, unknown>) => {
    if (rank[lvl] < rank[level]) return;
    const parts = [new Date().toISOString(), lvl.toUpperCase(), `[${name}]`, message];
    if (fields) for (const [key, value] of Object.entries(fields)) parts.push(`${key}=${JSON.stringify(value)}`);
    process.stderr.write(parts.join(' ') + '\n');
  };
  return {
    info: (m, f) => line('info', m, f),
    warn: (m, f) => line('warn', m, f),
    error: (m, f) => line('error', m, f),
  };
}

export interface LoggedLine {
  level: 'info' | 'warn' | 'error';
  message: string;
  fields?: Record<string, unknown>;
}

/** Keeps lines in memory; tests use it to check that bad input produced exactly one log line. */
export function createMemoryLogger(): Logger & { lines: LoggedLine[] } {
  const lines: LoggedLine[] = [];
  return {
    lines,
    info: (message, fields) => lines.push({ level: 'info', message, fields }),
    warn: (message, fields) => lines.push({ level: 'warn', message, fields }),
    error: (message, fields) => lines.push({ level: 'error', message, fields }),
  };
}
