/** Standard-alphabet base64 with "=" padding, as Lambda encodes Kafka keys and values. */
const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Decodes base64 strictly (Buffer.from alone silently skips invalid characters). Text longer than
 * `maxBytes` can decode to is refused before it is scanned. Errors never quote the input.
 */
export function decodeStrictBase64(text: string, maxBytes: number): Buffer | { error: string } {
  if (text.length > Math.ceil(maxBytes / 3) * 4) return { error: `decodes to more than ${maxBytes} bytes` };
  if (!base64Pattern.test(text)) return { error: 'is not valid base64' };
  const bytes = Buffer.from(text, 'base64');
  return bytes.length > maxBytes ? { error: `decodes to more than ${maxBytes} bytes` } : bytes;
}
