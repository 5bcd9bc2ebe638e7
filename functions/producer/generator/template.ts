import { MAX_MESSAGE_BYTES, type LogLevel } from '../../shared/log/log-record.js';
import { PLACEHOLDERS, PLACEHOLDER_NAMES, type Placeholder } from './placeholders.js';
import type { Prng } from './prng.js';

/**
 * A message template compiled once: `'User {userId} logged in from {ip}'` becomes literals
 * `['User ', ' logged in from ', '']` and fillers `[userId, ip]`. `{{` and `}}` stand for literal braces.
 */
export interface CompiledTemplate {
  readonly level: LogLevel;
  readonly text: string;
  readonly literals: readonly string[];
  readonly fillers: readonly Placeholder[];
  /** Longest possible rendered message, in characters (ASCII fillers, so ≤ bytes bound below). */
  readonly maxRenderedLength: number;
}

/** Thrown with the position and reason when a template cannot compile. */
export class TemplateSyntaxError extends Error {}

const PLACEHOLDER_NAME = /^[A-Za-z][A-Za-z0-9]*$/;

export function compileTemplate(text: string, level: LogLevel): CompiledTemplate {
  const literals: string[] = [];
  const fillers: Placeholder[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const char = text[i] as string;
    if (char === '{' && text[i + 1] === '{') {
      literal += '{';
      i += 2;
    } else if (char === '}' && text[i + 1] === '}') {
      literal += '}';
      i += 2;
    } else if (char === '{') {
      const close = text.indexOf('}', i + 1);
      if (close < 0) throw new TemplateSyntaxError(`unclosed "{" at position ${i} (write "{{" for a literal brace)`);
      const name = text.slice(i + 1, close);
      if (!PLACEHOLDER_NAME.test(name)) throw new TemplateSyntaxError(`invalid placeholder "{${name.slice(0, 40)}}" at position ${i}`);
      const placeholder = PLACEHOLDERS[name];
      if (placeholder === undefined) {
        throw new TemplateSyntaxError(`unknown placeholder {${name}} at position ${i}; known: ${PLACEHOLDER_NAMES.map((known) => `{${known}}`).join(' ')}`);
      }
      literals.push(literal);
      fillers.push(placeholder);
      literal = '';
      i = close + 1;
    } else if (char === '}') {
      throw new TemplateSyntaxError(`unmatched "}" at position ${i} (write "}}" for a literal brace)`);
    } else {
      literal += char;
      i += 1;
    }
  }
  literals.push(literal);
  const literalBytes = literals.reduce((sum, part) => sum + Buffer.byteLength(part, 'utf8'), 0);
  const maxRenderedLength = literalBytes + fillers.reduce((sum, filler) => sum + filler.maxLength, 0);
  if (maxRenderedLength > MAX_MESSAGE_BYTES) {
    throw new TemplateSyntaxError(`can render up to ${maxRenderedLength} bytes, over the ${MAX_MESSAGE_BYTES}-byte message limit`);
  }
  return { level, text, literals, fillers, maxRenderedLength };
}

export function renderTemplate(template: CompiledTemplate, rng: Prng): string {
  const { literals, fillers } = template;
  let message = literals[0] as string;
  for (let i = 0; i < fillers.length; i++) {
    message += (fillers[i] as Placeholder).fill(rng) + (literals[i + 1] as string);
  }
  return message;
}
