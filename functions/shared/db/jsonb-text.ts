/**
 * JSON text for a jsonb parameter, with a fast path: plain JSON.stringify, kept when its output
 * holds no `\u0000` and no `\uD800`–`\uDFFF` escape (JSON.stringify writes NUL and every lone
 * surrogate that way, in lower case, and jsonb refuses both). Anything else — or a literal
 * backslash followed by such text, which merely looks alike — goes through toJsonbText, which
 * replaces them with U+FFFD (text-safety.ts). Both paths give the same text for storable values.
 */
import { ValidationError } from '../errors.js';
import { toJsonbText } from './text-safety.js';

const MAY_NEED_REPLACEMENT = /\\u(?:0000|d[89a-f])/;

export function jsonbText(value: unknown, what: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new ValidationError(`${what} is not representable as JSON: ${(error as Error).message}`, { cause: error });
  }
  if (text === undefined || MAY_NEED_REPLACEMENT.test(text)) return toJsonbText(value, what);
  return text;
}
