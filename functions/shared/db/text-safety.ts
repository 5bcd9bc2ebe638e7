/**
 * PostgreSQL `text` and `jsonb` cannot hold U+0000 (NUL), and `jsonb` refuses the `\udXXX` escape of
 * a lone UTF-16 surrogate: either makes the whole statement fail (SQLSTATE 22021 / 22P05 / 22P02),
 * which would turn one hostile log line into a batch that is redelivered forever. Policy: every
 * string written to a text or jsonb column has each NUL and each lone surrogate replaced by U+FFFD
 * (the Unicode replacement character; for lone surrogates in text columns this is also what UTF-8
 * encoding does anyway). The exact bytes of records that must be kept verbatim go to
 * `dead_letters.raw_key/raw_value` (bytea), which holds any byte.
 */
import { ValidationError } from '../errors.js';

export const NUL_REPLACEMENT = '\uFFFD';

const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Any NUL or surrogate code unit: only such strings can need a replacement (a plain class test is cheap). */
const MAY_BE_UNSTORABLE = /[\u0000\uD800-\uDFFF]/;

/** The string with every U+0000 and every lone surrogate replaced by U+FFFD. */
export function storableText(text: string): string {
  // Fast path (almost every string): no NUL and no surrogate at all, so nothing to replace.
  if (!MAY_BE_UNSTORABLE.test(text)) return text;
  return text.replace(UNSTORABLE, NUL_REPLACEMENT);
}

/**
 * JSON text for a jsonb parameter: storableText applied to every string and object key, non-finite numbers
 * become null (JSON's rule). Throws ValidationError for values JSON cannot represent (cycles,
 * bigint, a top-level undefined or function).
 */
export function toJsonbText(value: unknown, what: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, (_key, inner: unknown) => {
      if (typeof inner === 'string') return storableText(inner);
      if (inner !== null && typeof inner === 'object' && !Array.isArray(inner)) {
        const entries = Object.entries(inner as Record<string, unknown>);
        if (entries.some(([key]) => storableText(key) !== key)) {
          return Object.fromEntries(entries.map(([key, v]) => [storableText(key), v]));
        }
      }
      return inner;
    });
  } catch (error) {
    throw new ValidationError(`${what} is not representable as JSON: ${(error as Error).message}`, { cause: error });
  }
  if (text === undefined) throw new ValidationError(`${what} is not representable as JSON (got ${typeof value})`);
  return text;
}
