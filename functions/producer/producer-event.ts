import { z } from 'zod';
import { ValidationError } from '../shared/errors.js';

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

/**
 * The producer's invocation payload. `rate` defaults to LOG_RATE (1.0/s as in the seed system);
 * the run stops at `count` records or after `durationSeconds`, whichever comes first (at least one
 * is required), and always before the Lambda's remaining time runs out.
 */
export const producerEventSchema = z
  .object({
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
  .refine((event) => event.count !== undefined || event.durationSeconds !== undefined, {
    message: 'give count (records) or durationSeconds (or both)',
  });

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
