export {
  FORBIDDEN_KEYS,
  LOG_LEVELS,
  MAX_HOST_CHARS,
  MAX_ID_CHARS,
  MAX_MESSAGE_BYTES,
  MAX_RECORD_BYTES,
  SERVICE_NAME_PATTERN,
  logRecordSchema,
  type LogLevel,
  type LogRecord,
} from './log-record.js';
export { parseLogRecord, serializeLogRecord, validateLogRecord } from './parse-log-record.js';
export { ANOMALY_KINDS, ANOMALY_LABELS, LABEL_HEADER, UNKINDED_ANOMALY, isAnomaly, parseLabel, type AnomalyKind, type AnomalyLabel } from './anomaly-label.js';
