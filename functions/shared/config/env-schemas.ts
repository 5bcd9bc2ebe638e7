import { z } from 'zod';
import type { VariableSchema } from './env.js';

/**
 * Schemas for environment-variable text. Each one's error message completes the sentence
 * "<VARIABLE> ..." and never contains the value (EnvReader decides whether to quote it).
 */

/** A whole number in [min, max]. */
export function integer(min: number, max: number): VariableSchema<number> {
  const range = `must be a whole number from ${min} to ${max}`;
  return z
    .string()
    .regex(/^[+-]?\d{1,16}$/, { error: range })
    .transform(Number)
    .pipe(z.number({ error: range }).int({ error: range }).min(min, { error: range }).max(max, { error: range }));
}

/** A decimal number in (or at) the given bounds. */
export function decimal(bounds: { min: number; max: number; minExclusive?: boolean }): VariableSchema<number> {
  const lower = bounds.minExclusive ? `greater than ${bounds.min}` : `at least ${bounds.min}`;
  const range = `must be a number ${lower} and at most ${bounds.max}`;
  const inRange = (value: number) =>
    Number.isFinite(value) && (bounds.minExclusive ? value > bounds.min : value >= bounds.min) && value <= bounds.max;
  return z
    .string()
    .regex(/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/, { error: range })
    .transform(Number)
    .pipe(z.number({ error: range }).refine(inRange, { error: range }));
}

const trueWords = new Set(['true', '1', 'yes', 'on']);
const falseWords = new Set(['false', '0', 'no', 'off']);

/** true/false, 1/0, yes/no, on/off (any case). */
export function boolean(): VariableSchema<boolean> {
  return z
    .string()
    .refine((text) => trueWords.has(text.toLowerCase()) || falseWords.has(text.toLowerCase()), {
      error: 'must be true or false',
    })
    .transform((text) => trueWords.has(text.toLowerCase()));
}

/** One of a fixed set of words (exact case). */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T): VariableSchema<T[number]> {
  return z.enum(values, { error: `must be one of ${values.join(', ')}` }) as unknown as VariableSchema<T[number]>;
}

/** Text matching `pattern`, at most `maxChars` long; `what` describes the allowed form. */
export function matching(pattern: RegExp, maxChars: number, what: string): VariableSchema<string> {
  const message = `must be ${what} (at most ${maxChars} characters)`;
  return z.string().max(maxChars, { error: message }).regex(pattern, { error: message });
}

/** An absolute http(s) URL, e.g. an emulator endpoint; returned without a trailing slash. */
export function httpUrl(): VariableSchema<string> {
  const message = 'must be an http:// or https:// URL such as http://127.0.0.1:4569';
  return z
    .string()
    .max(2048, { error: message })
    .refine(
      (text) => {
        const url = URL.canParse(text) ? new URL(text) : null;
        return url !== null && (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
      },
      { error: message },
    )
    .transform((text) => text.replace(/\/+$/, ''));
}

/** A Kafka topic name: 1–249 of [A-Za-z0-9._-], and not "." or "..". */
export function kafkaTopic(): VariableSchema<string> {
  return matching(/^(?!\.{1,2}$)[A-Za-z0-9._-]{1,249}$/, 249, 'a Kafka topic name of letters, digits, ".", "_" and "-"');
}

/** An AWS region such as us-east-1 or eu-central-2. */
export function awsRegion(): VariableSchema<string> {
  return matching(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, 32, 'an AWS region such as us-east-1');
}
