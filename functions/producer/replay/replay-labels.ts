import { ValidationError } from '../../shared/errors.js';
import { ANOMALY_KINDS, UNKINDED_ANOMALY, type AnomalyLabel } from '../../shared/log/index.js';
import { splitLogLines } from '../../shared/log-formats/index.js';

const KINDS: ReadonlySet<string> = new Set(ANOMALY_KINDS);

/**
 * A labels file for replay, one line per log line: `0` or `none` (normal), `1` (anomalous, kind
 * unknown: header value `anomaly`) or an anomaly kind such as `error_spike`. ValidationError names
 * the first bad line, and a count that differs from the log's.
 */
export function parseReplayLabels(text: string, expectedLines: number): AnomalyLabel[] {
  const labels = splitLogLines(text, 'labels file').map((raw, i): AnomalyLabel => {
    const token = raw.trim();
    if (token === '0' || token === 'none') return 'none';
    if (token === '1') return UNKINDED_ANOMALY;
    if (KINDS.has(token)) return token as AnomalyLabel;
    throw new ValidationError(`labels file line ${i + 1} must be 0, 1, none or one of ${ANOMALY_KINDS.join(', ')}, got ${JSON.stringify(token.slice(0, 40))}`);
  });
  if (labels.length !== expectedLines) throw new ValidationError(`the labels file has ${labels.length} lines but the log file has ${expectedLines}; they must match line for line`);
  return labels;
}
