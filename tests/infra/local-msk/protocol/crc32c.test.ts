import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { crc32c } from '../../../../infra/local-msk/protocol/crc32c.js';

const require = createRequire(import.meta.url);
/** kafkajs's own (byte-at-a-time) CRC-32C, as an independent implementation. */
const kafkajsCrc32c: (buffer: Buffer) => number = require('kafkajs/src/protocol/recordBatch/crc32C/crc32C.js');

describe('crc32c', () => {
  it('matches the standard check value and the RFC 3720 (iSCSI) test vectors', () => {
    // Prepare
    const ascending = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
    const descending = Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i));
    // Act
    const results = [
      crc32c(Buffer.from('123456789')),
      crc32c(Buffer.alloc(32, 0x00)),
      crc32c(Buffer.alloc(32, 0xff)),
      crc32c(ascending),
      crc32c(descending),
      crc32c(Buffer.alloc(0)),
    ];
    // Assess
    expect(results).toEqual([0xe3069283, 0x8a9136aa, 0x62a8ab43, 0x46dd794e, 0x113fdb5c, 0]);
  });

  it('agrees with kafkajs on random data of every length around the 8-byte stride', () => {
    // Prepare
    const data = randomBytes(300);
    for (let length = 0; length < 300; length += 7) {
      // Act
      const ours = crc32c(data, 0, length);
      const theirs = kafkajsCrc32c(data.subarray(0, length)) >>> 0;
      // Assess
      expect(ours, `length ${length}`).toBe(theirs);
    }
  });

  it('checksums a sub-range, and continues a previous checksum', () => {
    // Prepare
    const data = Buffer.from('xx123456789yy');
    // Act
    const ranged = crc32c(data, 2, 11);
    const continued = crc32c(Buffer.from('6789'), 0, 4, crc32c(Buffer.from('12345')));
    // Assess
    expect(ranged).toBe(0xe3069283);
    expect(continued).toBe(0xe3069283);
  });

  it('refuses a range outside the buffer', () => {
    expect(() => crc32c(Buffer.alloc(4), 0, 5)).toThrow(RangeError);
    expect(() => crc32c(Buffer.alloc(4), 3, 2)).toThrow(RangeError);
  });
});
