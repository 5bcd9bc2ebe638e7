import { ValidationError } from '../errors.js';
import type { LogLevel, LogRecord } from '../log/log-record.js';
import { hostName, isoFromParts, messageText, serviceName } from './record-fields.js';

/** Blue Gene/L RAS levels → pipeline levels. */
const BGL_LEVELS: Readonly<Record<string, LogLevel>> = { INFO: 'INFO', WARNING: 'WARN', SEVERE: 'ERROR', ERROR: 'ERROR', FAILURE: 'FATAL', FATAL: 'FATAL' };
const BGL_TIME = /^(\d{4})-(\d{2})-(\d{2})-(\d{2})\.(\d{2})\.(\d{2})(?:\.(\d{1,9}))?$/;

/**
 * One Blue Gene/L RAS line (Loghub layout, label token removed):
 * `<unix-ts> <date> <node> <YYYY-MM-DD-HH.MM.SS.ffffff> <node> <type> <component> <LEVEL> <message…>`.
 * service = component, host = node, ts = the fine timestamp (read as UTC), level mapped
 * (WARNING → WARN, SEVERE → ERROR, FAILURE → FATAL). ValidationError names what is wrong.
 */
export function parseBglLine(line: string, lineNumber: number): LogRecord {
  const fields = line.split(' ');
  if (fields.length < 8) throw new ValidationError(`line ${lineNumber}: a BGL line has at least 8 space-separated fields, this one has ${fields.length}`);
  const [, , node, stamp, , , component, level] = fields as [string, string, string, string, string, string, string, string];
  const time = BGL_TIME.exec(stamp);
  const ts = time === null ? null : isoFromParts(Number(time[1]), Number(time[2]), Number(time[3]), Number(time[4]), Number(time[5]), Number(time[6]), time[7] ?? '');
  if (ts === null) throw new ValidationError(`line ${lineNumber}: field 4 must be a BGL timestamp like 2005-06-03-15.42.50.675872`);
  const mapped = BGL_LEVELS[level];
  if (mapped === undefined) throw new ValidationError(`line ${lineNumber}: field 8 must be a BGL level (${Object.keys(BGL_LEVELS).join(', ')})`);
  return {
    id: `line-${lineNumber}`,
    ts,
    service: serviceName(component),
    level: mapped,
    message: messageText(fields.slice(8).join(' ')),
    host: hostName(node),
  };
}
