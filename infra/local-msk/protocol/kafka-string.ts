import { isUtf8 } from 'node:buffer';

/**
 * Kafka STRING values as the broker holds them.
 *
 * A STRING is an int16 byte length then UTF-8, so it holds at most 32767 bytes. Clients do
 * send bytes that are not UTF-8. Decoding those with replacement characters (as Java and
 * Node do) makes each bad byte three bytes long when the string is written back, so an id
 * that arrived at the limit no longer fits and answering it fails. Instead each byte that is
 * not part of a valid UTF-8 sequence decodes to a lone surrogate U+DC80–U+DCFF (the
 * "surrogateescape" scheme), which no valid UTF-8 input can produce:
 * - writing the string back restores the client's exact bytes, so an echo always fits;
 * - `isWellFormedText` tells whether the client sent valid UTF-8, so ids can be refused.
 */

/** Longest STRING / NULLABLE_STRING value, in bytes (int16 length). */
export const maxStringBytes = 0x7fff;

const escapeBase = 0xdc00;
const loneSurrogate = /\p{Surrogate}/u;

/** The string a STRING field's bytes stand for (invalid bytes become escapes). */
export function decodeKafkaString(bytes: Buffer): string {
  if (isUtf8(bytes)) return bytes.toString('utf8');
  let text = '';
  let runStart = 0;
  let at = 0;
  while (at < bytes.length) {
    const length = validSequenceLength(bytes, at);
    if (length > 0) {
      at += length;
      continue;
    }
    text += bytes.toString('utf8', runStart, at) + String.fromCharCode(escapeBase | bytes[at]!);
    at += 1;
    runStart = at;
  }
  return text + bytes.toString('utf8', runStart, at);
}

/** The bytes a string is written as: UTF-8, with escapes turned back into the bytes they stand for. */
export function encodeKafkaString(value: string): Buffer {
  if (isWellFormedText(value)) return Buffer.from(value, 'utf8');
  const parts: Buffer[] = [];
  let runStart = 0;
  for (let at = 0; at < value.length; at++) {
    const unit = value.charCodeAt(at);
    if (unit >= 0xd800 && unit <= 0xdbff && isLowSurrogate(value.charCodeAt(at + 1))) {
      at++; // a proper pair: ordinary text
    } else if (unit >= 0xdc80 && unit <= 0xdcff) {
      parts.push(Buffer.from(value.slice(runStart, at), 'utf8'), Buffer.of(unit & 0xff));
      runStart = at + 1;
    }
    // Any other lone surrogate stays in the run and is written as U+FFFD, as Buffer does.
  }
  parts.push(Buffer.from(value.slice(runStart), 'utf8'));
  return Buffer.concat(parts);
}

/** Bytes `value` takes on the wire (without the length prefix). */
export function kafkaStringByteLength(value: string): number {
  return isWellFormedText(value) ? Buffer.byteLength(value, 'utf8') : encodeKafkaString(value).length;
}

/** Whether the value can be written as a STRING at all. */
export function fitsKafkaString(value: string): boolean {
  // Each UTF-16 unit takes at most 3 bytes, so short strings need no measuring.
  return value.length * 3 <= maxStringBytes || kafkaStringByteLength(value) <= maxStringBytes;
}

/** False when the string holds escapes, i.e. the client sent bytes that are not UTF-8. */
export function isWellFormedText(value: string): boolean {
  return !loneSurrogate.test(value);
}

/** The longest prefix of `value` whose wire form takes at most `maxBytes`, never splitting a character. */
export function truncateKafkaString(value: string, maxBytes: number): string {
  if (value.length * 3 <= maxBytes || kafkaStringByteLength(value) <= maxBytes) return value;
  let bytes = 0;
  let end = 0;
  while (end < value.length) {
    const unit = value.charCodeAt(end);
    const pair = unit >= 0xd800 && unit <= 0xdbff && isLowSurrogate(value.charCodeAt(end + 1));
    const size = pair ? 4 : unit >= 0xdc80 && unit <= 0xdcff ? 1 : unit < 0x80 ? 1 : unit < 0x800 ? 2 : 3;
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += pair ? 2 : 1;
  }
  return value.slice(0, end);
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** Length of the valid UTF-8 sequence starting at `at`, or 0 when the byte there starts none. */
function validSequenceLength(bytes: Buffer, at: number): number {
  const lead = bytes[at]!;
  const length = lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 0;
  if (length === 0 || at + length > bytes.length) return 0;
  // isUtf8 rejects overlong forms, surrogates and code points above U+10FFFF.
  return isUtf8(bytes.subarray(at, at + length)) ? length : 0;
}
