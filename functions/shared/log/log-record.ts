import { z } from 'zod';

/**
 * The JSON value of a Kafka record on topic `logs`.
 *
 * Unknown fields are dropped (zod's default "strip"), so producers may add fields without breaking
 * older detectors; the extra fields this pipeline knows (experimentId, producerId, seq) are typed.
 * The ground-truth anomaly label is never a field: it travels in the `x-anomaly-label` header.
 */

/** Largest raw Kafka record value accepted, in bytes (64 KiB). */
export const MAX_RECORD_BYTES = 64 * 1024;
/** Largest `message`, in UTF-8 bytes (16 KiB). */
export const MAX_MESSAGE_BYTES = 16 * 1024;
/** Largest id-like field (`id`, `service`, `traceId`, `experimentId`, `producerId`), in characters. */
export const MAX_ID_CHARS = 128;
/** Largest `host`, in characters (a DNS name's limit). */
export const MAX_HOST_CHARS = 255;

export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Service names: what a Kafka key, a metric label and a file name can all carry safely. */
export const SERVICE_NAME_PATTERN = /^[A-Za-z0-9._-]+$/;

// U+0000 is legal in JSON but PostgreSQL `text` cannot store it; C0 controls other than tab, LF
// and CR have no place in an id, a host or a trace id.
const NUL = /\u0000/;
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

const noNul = (value: string): boolean => !NUL.test(value);
const noControl = (value: string): boolean => !CONTROL_CHARS.test(value);

const idField = z
  .string()
  .min(1, 'must not be empty')
  .max(MAX_ID_CHARS, `must be at most ${MAX_ID_CHARS} characters`)
  .refine(noControl, 'must not contain control characters');

export const logRecordSchema = z.object({
  id: idField,
  /** ISO-8601 UTC timestamp with a `Z` suffix and seconds, e.g. `2024-05-01T12:34:56.789Z`. */
  ts: z.iso.datetime({ error: 'must be an ISO-8601 UTC timestamp like 2024-05-01T12:34:56.789Z' }),
  service: z
    .string()
    .min(1, 'must not be empty')
    .max(MAX_ID_CHARS, `must be at most ${MAX_ID_CHARS} characters`)
    .regex(SERVICE_NAME_PATTERN, 'must contain only letters, digits, ".", "_" and "-"'),
  level: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }),
  /** Free text (attacker-controlled); may be empty; at most 16 KiB of UTF-8; no U+0000. */
  message: z
    .string()
    .refine((value) => Buffer.byteLength(value, 'utf8') <= MAX_MESSAGE_BYTES, `must be at most ${MAX_MESSAGE_BYTES} UTF-8 bytes`)
    .refine(noNul, 'must not contain U+0000 (NUL)'),
  host: z
    .string()
    .min(1, 'must not be empty')
    .max(MAX_HOST_CHARS, `must be at most ${MAX_HOST_CHARS} characters`)
    .refine(noControl, 'must not contain control characters'),
  traceId: idField.optional(),
  /** Which experiment run produced the record (set by the producer). */
  experimentId: idField.optional(),
  /** Which producer instance produced the record. */
  producerId: idField.optional(),
  /** The producer's sequence number for the record, from 0. */
  seq: z.number().int('must be an integer').min(0, 'must be >= 0').max(Number.MAX_SAFE_INTEGER).optional(),
});

export type LogRecord = z.infer<typeof logRecordSchema>;

/** Keys whose presence anywhere in a record means a prototype-pollution attempt. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
