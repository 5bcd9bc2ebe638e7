import type { DetectorLogger } from '../../functions/detector/detector-logger.js';
import type { MappingLogger } from '../event-source-mapping/index.js';

export interface RunLogLine {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: Record<string, unknown>;
}

/**
 * Collects what the detector and the mapping log during a run (counts by level, the last warnings
 * and errors) instead of printing it over the progress display. Lines carry counts, coordinates
 * and error descriptions only (their loggers never put log text in them). `echo` also prints them.
 */
export class RunLog implements DetectorLogger, MappingLogger {
  readonly counts = { info: 0, warn: 0, error: 0 };
  readonly recent: RunLogLine[] = [];

  constructor(private readonly echo: ((line: string) => void) | null = null) {}

  info(message: string, fields: Record<string, unknown> = {}): void {
    this.add('info', message, fields);
  }

  warn(message: string, fields: Record<string, unknown> = {}): void {
    this.add('warn', message, fields);
  }

  error(message: string, fields: Record<string, unknown> = {}): void {
    this.add('error', message, fields);
  }

  /** The newest error line as text, or null. */
  lastError(): string | null {
    const line = [...this.recent].reverse().find((entry) => entry.level === 'error');
    return line === undefined ? null : `${line.message}${typeof line.fields['error'] === 'string' ? `: ${line.fields['error']}` : ''}`;
  }

  private add(level: RunLogLine['level'], message: string, fields: Record<string, unknown>): void {
    this.counts[level] += 1;
    if (level === 'info') return;
    this.recent.push({ level, message, fields });
    if (this.recent.length > 20) this.recent.shift();
    this.echo?.(JSON.stringify({ level, message, ...fields }));
  }
}
