import { z } from 'zod';

/** Who emits metric records. */
export const componentTypes = ['producer', 'detector', 'metrics-aggregator', 'event-source-mapping', 'custom'] as const;
export type ComponentType = (typeof componentTypes)[number];

export const metricLimits = Object.freeze({
  /** Metrics in one record. */
  maxMetrics: 100,
  /** Encoded record size (UTF-8 JSON). */
  maxRecordBytes: 64 * 1024,
  maxNameChars: 128,
  maxUnitChars: 32,
  maxExperimentIdChars: 128,
  maxComponentIdChars: 256,
});

/** e.g. "latency_ms", "records.processed", "consumer-lag". */
export const metricNamePattern = /^[A-Za-z][A-Za-z0-9_.:/-]*$/;
/** e.g. "Count", "Milliseconds", "records/s", "%". */
export const metricUnitPattern = /^[A-Za-z%][A-Za-z0-9%/_ -]*$/;
/** Ids reach SQL rows and dashboard labels: a plain character set keeps them harmless. */
export const experimentIdPattern = /^[A-Za-z0-9._:@/-]+$/;
/** Like experiment ids, plus the "$" and brackets of Lambda log stream names ("2024/01/01/[$LATEST]ab12"). */
export const componentIdPattern = /^[A-Za-z0-9._:@/$[\]-]+$/;

/** Only the type issue gets our wording; unknown keys keep zod's "Unrecognized key" message. */
const objectError = { error: (issue: { code?: string }) => (issue.code === 'invalid_type' ? 'must be a JSON object' : undefined) };

export const metricSchema = z.strictObject({
  name: z
    .string({ error: 'must be a string' })
    .min(1, { error: 'must not be empty' })
    .max(metricLimits.maxNameChars, { error: `must be at most ${metricLimits.maxNameChars} characters` })
    .regex(metricNamePattern, { error: 'must start with a letter and hold only letters, digits and _ . : / -' }),
  /** zod 4 numbers are finite: NaN and ±Infinity (e.g. JSON 1e999) are refused. */
  value: z.number({ error: 'must be a finite number' }),
  unit: z
    .string({ error: 'must be a string' })
    .min(1, { error: 'must not be empty' })
    .max(metricLimits.maxUnitChars, { error: `must be at most ${metricLimits.maxUnitChars} characters` })
    .regex(metricUnitPattern, { error: 'must hold only letters, digits, spaces and % / _ -' })
    .optional(),
}, objectError);

export const metricRecordSchema = z.strictObject({
  experimentId: z
    .string({ error: 'must be a string or null' })
    .min(1, { error: 'must not be empty' })
    .max(metricLimits.maxExperimentIdChars, { error: `must be at most ${metricLimits.maxExperimentIdChars} characters` })
    .regex(experimentIdPattern, { error: 'must hold only letters, digits and . _ : @ / -' })
    .nullable(),
  componentType: z.enum(componentTypes, { error: `must be one of ${componentTypes.join(', ')}` }),
  componentId: z
    .string({ error: 'must be a string' })
    .min(1, { error: 'must not be empty' })
    .max(metricLimits.maxComponentIdChars, { error: `must be at most ${metricLimits.maxComponentIdChars} characters` })
    .regex(componentIdPattern, { error: 'must hold only letters, digits and . _ : @ / $ [ ] -' }),
  metrics: z
    .array(metricSchema, { error: 'must be an array of metrics' })
    .min(1, { error: 'must hold at least one metric' })
    .max(metricLimits.maxMetrics, { error: `must hold at most ${metricLimits.maxMetrics} metrics` }),
  /** When the metrics were flushed: ISO-8601 with Z or an offset. */
  ts: z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time such as 2024-05-01T12:00:00.000Z' }),
}, objectError);

export type Metric = z.infer<typeof metricSchema>;
export type MetricRecord = z.infer<typeof metricRecordSchema>;
