/**
 * Keyword families the keyword features look for. Matching is a case-insensitive substring search,
 * so "failed", "Failure", "NullPointerException" and "IOError" all match (keywords are chosen long
 * enough not to hide inside ordinary words). The patterns are alternations of literals with no
 * nested quantifiers: linear time on any input.
 */

/** Words that signal an error. */
export const ERROR_KEYWORDS = [
  'error',
  'exception',
  'fail',
  'fatal',
  'critical',
  'timeout',
  'timed out',
  'panic',
  'segfault',
  'crash',
  'abort',
  'oomkill',
  'out of memory',
  'corrupt',
  'unreachable',
] as const;

/** Words that signal a warning. */
export const WARNING_KEYWORDS = [
  'warn',
  'deprecat',
  'retry',
  'retries',
  'slow',
  'degraded',
  'throttl',
  'backoff',
  'high latency',
  'near limit',
  'approaching',
] as const;

/** Keywords are plain lowercase letters and single spaces; a space matches one space. */
function anyOf(words: readonly string[]): RegExp {
  return new RegExp(words.join('|'), 'i');
}

export const ERROR_KEYWORD_PATTERN = anyOf(ERROR_KEYWORDS);
export const WARNING_KEYWORD_PATTERN = anyOf(WARNING_KEYWORDS);
