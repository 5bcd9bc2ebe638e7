import { ValidationError } from '../errors.js';
import { metricLimits, metricRecordSchema, type MetricRecord } from './metric-record.js';

/** Reasons listed in one error; the rest are counted. */
const maxReasons = 5;
const maxReasonChars = 160;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes one metric record from the metrics topic (UTF-8 JSON). Throws ValidationError naming
 * every reason (field path and rule) when the bytes are oversize, not UTF-8, not JSON, or not a
 * metric record; the payload itself is never quoted.
 */
export function parseMetricRecord(bytes: Uint8Array | string): MetricRecord {
  const size = typeof bytes === 'string' ? Buffer.byteLength(bytes, 'utf8') : bytes.byteLength;
  if (size === 0) throw new ValidationError('metric record is empty');
  if (size > metricLimits.maxRecordBytes) {
    throw new ValidationError(`metric record is ${size} bytes; at most ${metricLimits.maxRecordBytes} are accepted`);
  }
  let text: string;
  try {
    text = typeof bytes === 'string' ? bytes : utf8.decode(bytes);
  } catch {
    throw new ValidationError('metric record is not valid UTF-8');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ValidationError('metric record is not JSON');
  }
  const result = metricRecordSchema.safeParse(json);
  if (result.success) return result.data;
  const reasons = result.error.issues.map((issue) => {
    const path = issue.path.length === 0 ? 'record' : issue.path.map(String).join('.');
    return clean(`${path} ${issue.message}`);
  });
  const shown = reasons.slice(0, maxReasons).join('; ');
  const more = reasons.length > maxReasons ? `; and ${reasons.length - maxReasons} more` : '';
  throw new ValidationError(`metric record is invalid: ${shown}${more}`);
}

/** Issue texts can name attacker-chosen keys: strip control characters and cut them short. */
function clean(reason: string): string {
  const printable = reason.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
  return printable.length > maxReasonChars ? `${printable.slice(0, maxReasonChars)}…` : printable;
}
