import type { LogLevel } from '../../shared/log/log-record.js';

/** A record before the generator stamps id, ts text, trace id and producer fields on it. */
export interface LogDraft {
  readonly service: string;
  readonly host: string;
  readonly level: LogLevel;
  readonly message: string;
  /** Event time, ms since the Unix epoch. */
  readonly timeMs: number;
}
