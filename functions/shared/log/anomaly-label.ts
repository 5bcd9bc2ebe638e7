import { ValidationError } from '../errors.js';

/**
 * The ground-truth label of a generated record. It travels in a Kafka record header, never in the
 * record's fields, so the detector cannot see it while scoring; evaluation reads the header.
 */
export const LABEL_HEADER = 'x-anomaly-label';

/** The five injected anomaly kinds. */
export const ANOMALY_KINDS = ['error_spike', 'unexpected_service', 'message_deviation', 'temporal', 'keyword'] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

/** An anomaly of no known kind (a replayed real log labelled only 1/0). */
export const UNKINDED_ANOMALY = 'anomaly';

/** What the header carries: an anomaly kind, `anomaly` (kind unknown), or `none` for a normal record. */
export type AnomalyLabel = AnomalyKind | typeof UNKINDED_ANOMALY | 'none';
export const ANOMALY_LABELS: readonly AnomalyLabel[] = [...ANOMALY_KINDS, UNKINDED_ANOMALY, 'none'];

const LABELS: ReadonlySet<string> = new Set(ANOMALY_LABELS);
const MAX_LABEL_BYTES = 64;

/**
 * Parses the `x-anomaly-label` header value as kafkajs delivers it (Buffer, string, an array of
 * either when the header repeats, or undefined when absent).
 *
 * Returns undefined when the header is absent (records from producers that do not label, e.g. real
 * traffic). Throws ValidationError for an empty, repeated-with-conflict, oversize or unknown value.
 */
export function parseLabel(headerValue: Buffer | string | ReadonlyArray<Buffer | string> | null | undefined): AnomalyLabel | undefined {
  if (headerValue === null || headerValue === undefined) return undefined;
  if (Array.isArray(headerValue)) {
    const labels = new Set((headerValue as ReadonlyArray<Buffer | string>).map((one) => parseOne(one)));
    if (labels.size !== 1) throw new ValidationError(`header ${LABEL_HEADER} repeats with different values: ${[...labels].join(', ') || '(none)'}`);
    return [...labels][0];
  }
  return parseOne(headerValue as Buffer | string);
}

function parseOne(value: Buffer | string): AnomalyLabel {
  const length = typeof value === 'string' ? value.length : value.length;
  if (length === 0) throw new ValidationError(`header ${LABEL_HEADER} is empty`);
  if (length > MAX_LABEL_BYTES) throw new ValidationError(`header ${LABEL_HEADER} is oversize: ${length} bytes, limit ${MAX_LABEL_BYTES}`);
  const text = typeof value === 'string' ? value : value.toString('utf8');
  if (!LABELS.has(text)) {
    throw new ValidationError(`header ${LABEL_HEADER} has unknown value ${JSON.stringify(text)}; expected one of ${ANOMALY_LABELS.join(', ')}`);
  }
  return text as AnomalyLabel;
}

/** Each of ANOMALY_LABELS as UTF-8 bytes, in the same order. */
const LABEL_BYTES: readonly Buffer[] = ANOMALY_LABELS.map((label) => Buffer.from(label, 'utf8'));

/**
 * The label whose UTF-8 bytes `value` is exactly, without decoding it; undefined otherwise.
 * Whenever it returns a label, parseLabel(value) returns the same one.
 */
export function knownLabelOf(value: Uint8Array): AnomalyLabel | undefined {
  for (let which = 0; which < LABEL_BYTES.length; which++) {
    const bytes = LABEL_BYTES[which]!;
    if (bytes.length !== value.length) continue;
    let index = 0;
    while (index < bytes.length && bytes[index] === value[index]) index++;
    if (index === bytes.length) return ANOMALY_LABELS[which];
  }
  return undefined;
}

/** True when the label marks an anomaly (anything but `none`). */
export function isAnomaly(label: AnomalyLabel): label is Exclude<AnomalyLabel, 'none'> {
  return label !== 'none';
}
