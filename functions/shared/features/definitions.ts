import { LOG_LEVELS, type LogLevel } from '../log/log-record.js';
import type { FeatureDefinition } from './feature-definition.js';
import { ERROR_KEYWORDS, ERROR_KEYWORD_PATTERN, WARNING_KEYWORDS, WARNING_KEYWORD_PATTERN } from './keywords.js';
import { serviceHash01 } from './service-hash.js';

/** DEBUG 0, INFO 1, WARN 2, ERROR 3, FATAL 4. */
const LEVEL_ORDINAL: Readonly<Record<LogLevel, number>> = Object.fromEntries(LOG_LEVELS.map((level, index) => [level, index])) as Record<LogLevel, number>;

/**
 * The model's inputs, in column order: the seed system's seven. Append new features at the end
 * (or anywhere: the version changes either way, and a stored model with another version is refused).
 */
export const featureDefinitions: readonly FeatureDefinition[] = [
  {
    name: 'service',
    description: 'The service name as a stable number in [0, 1); needs no fitted vocabulary.',
    encoding: 'fnv1a32(utf16 code units of service) / 2^32',
    extract: (record) => serviceHash01(record.service),
  },
  {
    name: 'level',
    description: 'The log level as an ordinal, 0 (DEBUG) to 4 (FATAL).',
    encoding: `ordinal ${LOG_LEVELS.join('<')}`,
    extract: (record) => LEVEL_ORDINAL[record.level] ?? 0,
  },
  {
    name: 'message_length',
    description: 'Length of the message in UTF-16 code units (0 to 16,384).',
    encoding: 'message.length',
    extract: (record) => record.message.length,
  },
  {
    name: 'has_error_keyword',
    description: '1 when the message contains an error keyword (error, exception, fail, timeout, …), else 0.',
    encoding: `case-insensitive substring any of ${ERROR_KEYWORDS.join('|')}`,
    extract: (record) => (ERROR_KEYWORD_PATTERN.test(record.message) ? 1 : 0),
  },
  {
    name: 'has_warning_keyword',
    description: '1 when the message contains a warning keyword (warn, deprecated, retry, slow, …), else 0.',
    encoding: `case-insensitive substring any of ${WARNING_KEYWORDS.join('|')}`,
    extract: (record) => (WARNING_KEYWORD_PATTERN.test(record.message) ? 1 : 0),
  },
  {
    name: 'hour',
    description: 'Hour of the record timestamp, UTC, 0 to 23.',
    encoding: 'UTC hour digits of ts',
    extract: (_record, context) => context.time.hour,
  },
  {
    name: 'minute',
    description: 'Minute of the record timestamp, UTC, 0 to 59.',
    encoding: 'UTC minute digits of ts',
    extract: (_record, context) => context.time.minute,
  },
];
