import { isUtf8 } from 'node:buffer';

/**
 * Strict readings of the text inside SASL tokens. Buffer's own base64 decoder skips
 * characters it does not know, so "bad base64" would silently become other bytes; these
 * refuse instead (null), which the exchanges turn into an authentication failure.
 */

/** The token as UTF-8 text, or null when it is not UTF-8 or holds NUL/control bytes other than the allowed ones. */
export function tokenText(token: Buffer, allowedControls = ''): string | null {
  if (!isUtf8(token)) return null;
  const text = token.toString('utf8');
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if ((code < 0x20 || code === 0x7f) && !allowedControls.includes(char)) return null;
  }
  return text;
}

const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Standard base64 with padding (RFC 4648 §4), as SCRAM uses; null when malformed. */
export function strictBase64(text: string): Buffer | null {
  return base64Pattern.test(text) ? Buffer.from(text, 'base64') : null;
}

const base64UrlPattern = /^[A-Za-z0-9_-]+={0,2}$/;

/** base64url (RFC 4648 §5), padding optional, as the MSK IAM signer writes its token; null when malformed. */
export function strictBase64Url(text: string): Buffer | null {
  if (!base64UrlPattern.test(text)) return null;
  const bare = text.replace(/=+$/, '');
  if (bare.length % 4 === 1) return null; // no byte count encodes to this many characters
  return Buffer.from(bare, 'base64url');
}
