import { describe, expect, it } from 'vitest';
import { Prng } from '../../../../../functions/producer/generator/index.js';
import { decodeStrictBase64, STRICT_BASE64_PATTERN } from '../../../../../functions/shared/kafka/event/strict-base64.js';

/** The rule as first written: size bound, the pattern over the whole text, then Buffer's decoder. */
function referenceDecode(text: string, maxBytes: number): Buffer | { error: string } {
  if (text.length > Math.ceil(maxBytes / 3) * 4) return { error: `decodes to more than ${maxBytes} bytes` };
  if (!STRICT_BASE64_PATTERN.test(text)) return { error: 'is not valid base64' };
  const bytes = Buffer.from(text, 'base64');
  return bytes.length > maxBytes ? { error: `decodes to more than ${maxBytes} bytes` } : bytes;
}

/** 80 valid characters: whatever follows is decoded on the long-text path. */
const LONG_PREFIX = 'QUJD'.repeat(20);

function expectSameDecision(text: string, maxBytes = 64): void {
  expect(decodeStrictBase64(text, maxBytes), JSON.stringify(text)).toStrictEqual(referenceDecode(text, maxBytes));
}

describe('decodeStrictBase64 against the pattern-first reference', () => {
  it.each([
    ['empty', ''],
    ['canonical, no padding', 'bG9nAAAA'],
    ['canonical, one "="', 'bG9nc2E='],
    ['canonical, two "="', 'bG9ncw=='],
    ['missing padding', 'bG9ncw'],
    ['missing one "="', 'bG9ncw='],
    ['"=" inside', 'bG9n=w=='],
    ['"=" first', '=G9ncw=='],
    ['three "="', 'bG9nc==='],
    ['only padding', '===='],
    ['"A==="', 'A==='],
    ['URL-safe "-"', 'bG9-cw=='],
    ['URL-safe "_"', 'bG9_cw=='],
    ['a space', 'bG9n cw='],
    ['a newline every 4 characters', 'bG9n\ncw=='],
    ['trailing newline', 'bG9ncw==\n'],
    ['a tab', '\tbG9ncw=='],
    ['non-ASCII', 'bG9ncé=='],
    ['a NUL', 'bG9n\u0000w=='],
    ['length not a multiple of 4', 'bG9nc'],
    ['non-zero bits before "=="', 'bH=='],
    ['non-zero bits before "="', 'bG9='],
    ['non-zero trailing bits, longer', 'QUJDRAx='],
    ['a data: URL', 'data:text/plain;base64,bG9ncw=='],
  ])('same decision for %s, short and after a long valid prefix', (_name, text) => {
    // Act + Assess: up to 64 characters are decoded by a loop, longer text by Buffer
    expectSameDecision(text);
    expectSameDecision(`${LONG_PREFIX}${text}`, 1024);
  });

  it('same decision on both sides of the size limit', () => {
    // Prepare: 48 bytes encode to exactly 64 characters
    const bytes = Buffer.alloc(49, 0x5a);

    // Act + Assess
    for (let length = 44; length <= 49; length++) {
      expectSameDecision(bytes.subarray(0, length).toString('base64'), 48);
    }
    expectSameDecision(`${bytes.subarray(0, 46).toString('base64')}AAAA`, 48);
  });

  it('same decision on thousands of random byte strings (both paths) and their one-character corruptions', () => {
    // Prepare
    const rng = new Prng('strict-base64');
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ .\n\u00e9\u0000';

    // Act + Assess
    for (let round = 0; round < 5_000; round++) {
      const bytes = Buffer.from(Array.from({ length: rng.int(120) }, () => rng.int(256)));
      const canonical = bytes.toString('base64');
      expectSameDecision(canonical, 256);
      if (canonical.length === 0) continue;
      const at = rng.int(canonical.length);
      const corrupted = canonical.slice(0, at) + alphabet[rng.int(alphabet.length)] + canonical.slice(at + 1);
      expectSameDecision(corrupted, 256);
      expectSameDecision(canonical.slice(0, at), 256);
      expectSameDecision(canonical, 40);
    }
  });
});
