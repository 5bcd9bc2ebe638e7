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

/** Characters of a string a log line quotes; ids from clients may be 32 KB long. */
export const maxLoggedChars = 100;

/**
 * A string as a log line shows it: whole when short, else its first `maxLoggedChars`
 * characters and its full size in bytes, e.g. `aaaa…(32777 bytes)`. Every string a log line
 * carries (message and field values, nested ones too) goes through here, because any of
 * them may embed a client-supplied id.
 */
export function truncateForLog(text: string): string {
  if (text.length <= maxLoggedChars) return text;
  // Never end on the first half of a surrogate pair.
  const end = isHighSurrogate(text.charCodeAt(maxLoggedChars - 1)) ? maxLoggedChars - 1 : maxLoggedChars;
  return `${text.slice(0, end)}…(${Buffer.byteLength(text, 'utf8')} bytes)`;
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

/** A field value as JSON, with every string in it truncated (and bigints as strings: logging must not throw). */
function formatLogValue(value: unknown): string {
  const text = JSON.stringify(value, (_key, nested: unknown) =>
    typeof nested === 'string' ? truncateForLog(nested) : typeof nested === 'bigint' ? nested.toString() : nested,
  );
  return text ?? String(value);
}

/** Writes `level message key=value ...` lines to stderr. */
export function createConsoleLogger(level: LogLevel = 'info', name = 'local-msk'): Logger {
  const line = (lvl: Exclude<LogLevel, 'silent'>, message: string, fields?: Record<string, unknown>) => {
    if (rank[lvl] < rank[level]) return;
    const parts = [new Date().toISOString(), lvl.toUpperCase(), `[${name}]`, truncateForLog(message)];
    if (fields) for (const [key, value] of Object.entries(fields)) parts.push(`${key}=${formatLogValue(value)}`);
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
