import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ResponseEncodingError } from '../../../../infra/local-msk/errors.js';
import {
  decodeKafkaString,
  encodeKafkaString,
  isWellFormedText,
  kafkaStringByteLength,
  truncateKafkaString,
} from '../../../../infra/local-msk/protocol/kafka-string.js';
import { Reader } from '../../../../infra/local-msk/protocol/reader.js';
import { Writer } from '../../../../infra/local-msk/protocol/writer.js';

/** Valid UTF-8 text (any script, emoji) mixed with arbitrary bytes. */
const clientBytes = fc
  .array(fc.oneof(fc.uint8Array({ maxLength: 4 }).map((bytes) => Buffer.from(bytes)), fc.string({ unit: 'grapheme', maxLength: 4 }).map((text) => Buffer.from(text, 'utf8'))), { maxLength: 16 })
  .map((parts) => Buffer.concat(parts));

describe('Kafka STRING values', () => {
  it('give back exactly the bytes a client sent, and are well formed exactly when those were UTF-8', () => {
    fc.assert(
      fc.property(clientBytes, (sent) => {
        // Act
        const text = decodeKafkaString(sent);

        // Assess
        expect(encodeKafkaString(text).equals(sent)).toBe(true);
        expect(kafkaStringByteLength(text)).toBe(sent.length);
        expect(isWellFormedText(text)).toBe(isUtf8(sent));
      }),
      { seed: 15, numRuns: 500 },
    );
  });

  it('tell valid UTF-8 from bytes that are not', () => {
    // Act
    const valid = decodeKafkaString(Buffer.from('héllo 😀 \ufffd', 'utf8'));
    const overlongNul = decodeKafkaString(Buffer.of(0x61, 0xc0, 0x80));
    const encodedSurrogate = decodeKafkaString(Buffer.of(0xed, 0xa0, 0x80));

    // Assess
    expect(valid).toBe('héllo 😀 \ufffd');
    expect(isWellFormedText(valid)).toBe(true);
    expect(isWellFormedText(overlongNul)).toBe(false);
    expect(isWellFormedText(encodedSurrogate)).toBe(false);
  });

  it('round-trip a 32767-byte string that is not UTF-8 through the Reader and the Writer at its full size', () => {
    // Prepare
    const sent = Buffer.concat([Buffer.of(0x7f, 0xff), Buffer.alloc(0x7fff, 0xff)]);

    // Act
    const value = new Reader(sent).string();
    const written = new Writer().string(value).toBuffer();

    // Assess
    expect(written.equals(sent)).toBe(true);
  });

  it('refuse to write a string above 32767 bytes, with an error that says so', () => {
    // Act
    const write = () => new Writer().string('é'.repeat(16_384));

    // Assess
    expect(write).toThrow(ResponseEncodingError);
    expect(write).toThrow('32768 bytes does not fit a Kafka STRING');
  });

  it('truncate to a byte budget on character boundaries', () => {
    // Act
    const twoByte = truncateKafkaString('éééé', 5);
    const pair = truncateKafkaString('a😀b', 4);
    const escapes = truncateKafkaString(decodeKafkaString(Buffer.alloc(10, 0xff)), 4);

    // Assess
    expect(twoByte).toBe('éé');
    expect(pair).toBe('a');
    expect(encodeKafkaString(escapes).equals(Buffer.alloc(4, 0xff))).toBe(true);
  });
});
