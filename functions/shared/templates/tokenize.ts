/**
 * Splits a log message into the tokens the template miner compares. Tokens are the message's
 * whitespace-separated words; a word that is likely a variable (it contains a digit, a slash or
 * backslash (a path or URL), a character outside printable ASCII, or is longer than MAX_TOKEN_CHARS) is replaced by WILDCARD up front,
 * as Drain's preprocessing does. At most `maxTokens` tokens are kept; a longer message gets the
 * TRUNCATED token appended, so it never shares a template with a message of exactly that length.
 * Linear in the message length.
 */
export const WILDCARD = '<*>';
export const TRUNCATED = '<...>';
/** Words longer than this (UTF-16 code units) are treated as variables (paths, blobs, tokens). */
export const MAX_TOKEN_CHARS = 48;

const WHITESPACE = /\s+/;

export function tokenize(message: string, maxTokens: number): string[] {
  const tokens: string[] = [];
  const words = message.split(WHITESPACE, maxTokens + 2);
  for (const word of words) {
    if (word.length === 0) continue;
    if (tokens.length === maxTokens) {
      tokens.push(TRUNCATED);
      break;
    }
    tokens.push(isVariable(word) ? WILDCARD : word);
  }
  return tokens;
}

/**
 * A digit, a path or URL separator (`/`, `\\`: segments are values such as ids and file names), an
 * address (`@`: user@host, masked e-mails), or anything outside printable ASCII (controls,
 * Latin-1, U+FFFD, emoji…). One scan of the word's UTF-16 code units.
 */
function isVariable(word: string): boolean {
  if (word.length > MAX_TOKEN_CHARS) return true;
  for (let i = 0; i < word.length; i++) {
    const code = word.charCodeAt(i);
    if ((code >= 0x30 && code <= 0x39) || code === 0x2f || code === 0x5c || code === 0x40 || code < 0x20 || code > 0x7e) return true;
  }
  return false;
}
