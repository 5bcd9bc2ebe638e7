import { ValidationError } from '../../functions/shared/errors.js';

/** Ground truth of a log file: one entry per log line. */
export interface Labels {
  readonly anomalous: readonly boolean[];
  /** The anomaly kind where the label names one (e.g. `error_spike`), else null. */
  readonly kinds: ReadonlyArray<string | null>;
}

const KIND = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * Parses a labels file: one line per log line, `1` (anomalous) or `0` (normal), or a kind name
 * (anomalous, e.g. `error_spike`) or `none` (normal) as the producer's ground truth says. An empty
 * file, an empty line or any other token is a ValidationError naming the line.
 */
export function parseLabels(text: string): Labels {
  if (text.length === 0) throw new ValidationError('labels file is empty');
  const body = text.endsWith('\n') ? text.slice(0, text.endsWith('\r\n') ? -2 : -1) : text;
  const anomalous: boolean[] = [];
  const kinds: Array<string | null> = [];
  body.split(/\r?\n/).forEach((raw, i) => {
    const token = raw.trim();
    if (token === '0' || token === 'none') {
      anomalous.push(false);
      kinds.push(null);
    } else if (token === '1') {
      anomalous.push(true);
      kinds.push(null);
    } else if (KIND.test(token)) {
      anomalous.push(true);
      kinds.push(token);
    } else {
      throw new ValidationError(`labels file line ${i + 1} must be 0, 1, none or an anomaly kind like error_spike, got ${JSON.stringify(token.slice(0, 40))}`);
    }
  });
  return { anomalous, kinds };
}
