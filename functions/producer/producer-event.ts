import { z } from 'zod';
import { ValidationError } from '../shared/errors.js';
import { LOG_FORMATS } from '../shared/log-formats/index.js';
import { MAX_REPLAY_PATH_CHARS } from './replay/replay-file.js';

/** Highest rate one producer invocation is asked to hold (records/s). */
export const maxProducerRate = 100_000;
/** Longest run one invocation may be asked for (s): Lambda's own ceiling is 900 s. */
export const maxDurationSeconds = 900;
export const maxCount = 10_000_000;

const identifier = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:@/-]+$/, 'use letters, digits and . _ : @ / -');

const replayPath = z
  .string()
  .min(1)
  .max(MAX_REPLAY_PATH_CHARS)
  .refine((path) => !path.includes('\u0000'), 'must not contain NUL');

/**
 * The producer's invocation payload. `rate` defaults to LOG_RATE (1.0/s as in the seed system);
 * the run stops at `count` records or after `durationSeconds`, whichever comes first, and always
 * before the Lambda's remaining time runs out.
 *
 * `mode: 'generate'` (default) makes synthetic logs; `count` or `durationSeconds` is required.
 * `mode: 'replay'` sends the lines of `file` (inside REPLAY_DIR) in order, parsed as `format`
 * (default synthetic), with `labels` (a labels file, one line per log line) in the label header;
 * without `count` or `durationSeconds` it sends the whole file.
 */
export const producerEventSchema = z
  .object({
    mode: z.enum(['generate', 'replay']).default('generate'),
    file: replayPath.optional(),
    labels: replayPath.optional(),
    format: z.enum(LOG_FORMATS).optional(),
    experimentId: identifier.optional(),
    producerId: z.union([identifier, z.number().int().nonnegative().max(1_000_000).transform(String)]).optional(),
    rate: z.number().positive().max(maxProducerRate).optional(),
    durationSeconds: z.number().positive().max(maxDurationSeconds).optional(),
    count: z.number().int().positive().max(maxCount).optional(),
    anomalyRate: z.number().min(0).max(1).default(0.05),
    seed: z.union([z.number().int().nonnegative().max(2 ** 32 - 1), z.string().min(1).max(128)]).optional(),
    /**
     * The seed's "custom log generation": services, hosts, message templates and usual hours
     * (see generator/generator-config.ts); checked in full when the generator is built.
     */
    logConfig: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .refine((event) => event.mode === 'replay' || event.count !== undefined || event.durationSeconds !== undefined, {
    message: 'give count (records) or durationSeconds (or both)',
  })
  .refine((event) => event.mode !== 'replay' || event.file !== undefined, { message: 'replay needs file (a path inside REPLAY_DIR)', path: ['file'] })
  .refine((event) => event.mode === 'replay' || (event.file === undefined && event.labels === undefined && event.format === undefined), {
    message: 'file, labels and format belong to mode "replay"',
  })
  .refine((event) => event.mode !== 'replay' || event.logConfig === undefined, { message: 'logConfig belongs to mode "generate"', path: ['logConfig'] });

export type ProducerEvent = z.output<typeof producerEventSchema>;

/** Validates an invocation payload; throws ValidationError naming each bad field. */
export function parseProducerEvent(event: unknown): ProducerEvent {
  const result = producerEventSchema.safeParse(event ?? {});
  if (result.success) return result.data;
  const reasons = result.error.issues.slice(0, 5).map((issue) => {
    const field = issue.path.length > 0 ? `field "${issue.path.join('.')}"` : 'event';
    return `${field}: ${issue.message}`;
  });
  throw new ValidationError(`producer event is invalid: ${reasons.join('; ')}`);
}
