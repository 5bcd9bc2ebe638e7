import type { LogLevel } from '../log/log-record.js';

/**
 * Level words of foreign logs → pipeline levels. Keys are upper case; a word is looked up by its
 * upper-case form, so `warn`, `Warn` and `WARN` are the same word (where case may vary is decided
 * by the caller: see BARE_LEVEL_WORDS).
 */
export const LEVEL_WORDS: Readonly<Record<string, LogLevel>> = {
  TRACE: 'DEBUG', DEBUG: 'DEBUG', FINE: 'DEBUG', FINER: 'DEBUG', FINEST: 'DEBUG', VERBOSE: 'DEBUG',
  INFO: 'INFO', INFORMATION: 'INFO', INFORMATIONAL: 'INFO', NOTICE: 'INFO',
  WARN: 'WARN', WARNING: 'WARN',
  ERROR: 'ERROR', ERR: 'ERROR', SEVERE: 'ERROR',
  CRITICAL: 'FATAL', CRIT: 'FATAL', FATAL: 'FATAL', FAILURE: 'FATAL', ALERT: 'FATAL', EMERG: 'FATAL', EMERGENCY: 'FATAL', PANIC: 'FATAL',
};

/**
 * Level words that may stand as a field in lower or capitalised case without brackets (`warning:`,
 * `Info` set off by column padding). Ordinary English words that happen to be level names
 * (alert, failure, panic, fine, verbose…) count only in upper case or inside a field marker.
 */
const BARE_LEVEL_WORDS: ReadonlySet<string> = new Set([
  'TRACE', 'DEBUG', 'INFO', 'INFORMATION', 'INFORMATIONAL', 'NOTICE', 'WARN', 'WARNING', 'ERROR', 'ERR', 'SEVERE', 'CRITICAL', 'CRIT', 'FATAL', 'EMERG', 'EMERGENCY',
]);

/** The level-word list searched anywhere in a line's head (upper case only): the pre-header rule. */
export const UPPER_LEVEL_ANYWHERE = /\b(TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|SEVERE|CRITICAL|CRIT|FATAL|FAILURE|ALERT|EMERG|PANIC)\b/;

/** Android logcat's one-letter priorities. */
const LETTER_LEVELS: Readonly<Record<string, LogLevel>> = { V: 'DEBUG', D: 'DEBUG', I: 'INFO', W: 'WARN', E: 'ERROR', F: 'FATAL', A: 'FATAL' };

/** The level a word names, any case (for values of explicit fields: `level=warn`, `[error]`). */
export function levelOfWord(word: string): LogLevel | undefined {
  if (word.length < 3 || word.length > 13) return undefined;
  return LEVEL_WORDS[word.toUpperCase()];
}

/** The level of `word` when it stands alone in upper case (`INFO`, `WARNING`). */
export function levelOfUpperWord(word: string): LogLevel | undefined {
  const level = levelOfWord(word);
  return level !== undefined && word === word.toUpperCase() ? level : undefined;
}

/** The level of a lower/capitalised word that may stand as a bare field (see BARE_LEVEL_WORDS). */
export function levelOfBareWord(word: string): LogLevel | undefined {
  if (word.length < 3 || word.length > 13) return undefined;
  const upper = word.toUpperCase();
  return BARE_LEVEL_WORDS.has(upper) ? LEVEL_WORDS[upper] : undefined;
}

export function levelOfLetter(letter: string): LogLevel | undefined {
  return letter.length === 1 ? LETTER_LEVELS[letter] : undefined;
}

/** Syslog PRI (`<13>`): severity = PRI mod 8 (0–2 emerg/alert/crit, 3 err, 4 warning, 5–6, 7 debug). */
export function levelOfSyslogPriority(priority: number): LogLevel | undefined {
  if (!Number.isInteger(priority) || priority < 0 || priority > 191) return undefined;
  const severity = priority % 8;
  return severity <= 2 ? 'FATAL' : severity === 3 ? 'ERROR' : severity === 4 ? 'WARN' : severity === 7 ? 'DEBUG' : 'INFO';
}

/** bunyan/pino numeric levels (10 trace … 60 fatal); anything else is not a level. */
export function levelOfNumber(value: number): LogLevel | undefined {
  switch (value) {
    case 10:
    case 20:
      return 'DEBUG';
    case 30:
      return 'INFO';
    case 40:
      return 'WARN';
    case 50:
      return 'ERROR';
    case 60:
      return 'FATAL';
    default:
      return undefined;
  }
}
