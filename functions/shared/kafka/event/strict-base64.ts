/** Standard-alphabet base64 with "=" padding, as Lambda encodes Kafka keys and values. */
export const STRICT_BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Up to this many characters (48 bytes) a JavaScript loop decodes faster than Buffer, whose
 * per-call overhead dominates short texts such as record keys.
 */
const SHORT_TEXT_CHARS = 64;
const PAD = 0x3d; // "="

/** The 6-bit value of each base64 character code below 128; -1 for every other character. */
const SEXTETS = new Int8Array(128).fill(-1);
for (const [index, char] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].entries()) SEXTETS[char.charCodeAt(0)] = index;

/**
 * Decodes base64 strictly (Buffer.from alone silently skips invalid characters and accepts the
 * URL-safe alphabet). Text longer than `maxBytes` can decode to is refused before it is decoded.
 * Errors never quote the input.
 *
 * Invariant: the decision is STRICT_BASE64_PATTERN's and the bytes are Buffer.from(text,
 * 'base64')'s. Short text is decoded by a loop that applies the pattern's rules as it goes. Longer
 * text is decoded by Buffer; text that is the canonical encoding of its own decoded bytes (what
 * every encoder, Lambda's included, produces) matches the pattern by construction, so only text
 * that is not canonical (invalid, or non-zero bits before the padding) is tested against it.
 */
export function decodeStrictBase64(text: string, maxBytes: number): Buffer | { error: string } {
  if (text.length > Math.ceil(maxBytes / 3) * 4) return { error: `decodes to more than ${maxBytes} bytes` };
  let bytes: Buffer | null;
  if (text.length <= SHORT_TEXT_CHARS) {
    bytes = decodeShortBase64(text);
  } else {
    bytes = Buffer.from(text, 'base64');
    if (bytes.toString('base64') !== text && !STRICT_BASE64_PATTERN.test(text)) bytes = null;
  }
  if (bytes === null) return { error: 'is not valid base64' };
  return bytes.length > maxBytes ? { error: `decodes to more than ${maxBytes} bytes` } : bytes;
}

/** Groups of four base64 characters, the last one padded with one or two "="; null when the text is not that. */
function decodeShortBase64(text: string): Buffer | null {
  const length = text.length;
  if (length % 4 !== 0) return null;
  const padding = length === 0 || text.charCodeAt(length - 1) !== PAD ? 0 : text.charCodeAt(length - 2) === PAD ? 2 : 1;
  const bytes = Buffer.allocUnsafe((length / 4) * 3 - padding);
  let written = 0;
  for (let at = 0; at < length; at += 4) {
    const last = at + 4 === length;
    const first = sextet(text, at);
    const second = sextet(text, at + 1);
    // In the last group, "=" stands for the characters the padding replaces (their bits are zero).
    const third = last && padding === 2 ? 0 : sextet(text, at + 2);
    const fourth = last && padding >= 1 ? 0 : sextet(text, at + 3);
    if ((first | second | third | fourth) < 0) return null;
    bytes[written++] = (first << 2) | (second >> 4);
    if (written < bytes.length) bytes[written++] = ((second & 0x0f) << 4) | (third >> 2);
    if (written < bytes.length) bytes[written++] = ((third & 0x03) << 6) | fourth;
  }
  return bytes;
}

function sextet(text: string, at: number): number {
  const code = text.charCodeAt(at);
  return code < 128 ? (SEXTETS[code] as number) : -1;
}
