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

const HAS_DIGIT = /\d/;
/** Anything outside printable ASCII (controls, Latin-1, U+FFFD, emoji…). */
const NON_PRINTABLE_ASCII = /[^\x20-\x7e]/;
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

/** Paths and URLs: their segments are values (ids, file names), not message structure. */
const PATH_LIKE = /[/\\]/;
/** Addresses (user@host, masked e-mails): values, not message structure. */
const ADDRESS_LIKE = /@/;

function isVariable(word: string): boolean {
  return word.length > MAX_TOKEN_CHARS || HAS_DIGIT.test(word) || NON_PRINTABLE_ASCII.test(word) || PATH_LIKE.test(word) || ADDRESS_LIKE.test(word);
}
