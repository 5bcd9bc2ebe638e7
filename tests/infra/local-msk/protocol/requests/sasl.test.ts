import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { saslAuthenticateCodecs } from '../../../../../infra/local-msk/protocol/requests/saslAuthenticate/index.js';
import { saslHandshakeCodecs } from '../../../../../infra/local-msk/protocol/requests/saslHandshake/index.js';
import { decodeWhole, encodeBody, groupFixture, kafkajsDecode } from './group-codec-helpers.js';

describe('SaslHandshake codecs', () => {
  it('implements versions 0 and 1', () => {
    expect(saslHandshakeCodecs.map((codec) => codec.version)).toEqual([0, 1]);
  });

  for (const codec of saslHandshakeCodecs) {
    it(`v${codec.version} decodes the request kafkajs encodes and encodes the response fixture byte for byte`, async () => {
      // Prepare
      const body = groupFixture('saslHandshake', codec.version, 'request');
      const expected = groupFixture('saslHandshake', codec.version, 'response');
      // Act
      const { request, unread } = decodeWhole(codec, body);
      const bytes = encodeBody(codec, { errorCode: 0, mechanisms: ['PLAIN', 'SCRAM-SHA-512', 'OAUTHBEARER'] });
      const decoded = await kafkajsDecode('saslHandshake', codec.version, bytes);
      // Assess
      expect(unread).toBe(0);
      expect(request).toEqual({ mechanism: 'SCRAM-SHA-512' });
      expect(bytes.toString('hex')).toBe(expected.toString('hex'));
      expect(decoded.enabledMechanisms).toEqual(['PLAIN', 'SCRAM-SHA-512', 'OAUTHBEARER']);
    });
  }
});

describe('SaslAuthenticate codecs', () => {
  const responses = [
    { errorCode: 58, errorMessage: 'invalid credentials', authBytes: Buffer.alloc(0), sessionLifetimeMs: 0 },
    { errorCode: 0, errorMessage: null, authBytes: Buffer.from('v=abc'), sessionLifetimeMs: 0 },
    { errorCode: 58, errorMessage: 'invalid credentials', authBytes: Buffer.alloc(0), sessionLifetimeMs: 3_600_000 },
  ];

  it('implements versions 0, 1 and 2, of which 2 is flexible', () => {
    expect(saslAuthenticateCodecs.map((codec) => [codec.version, codec.flexible])).toEqual([
      [0, false],
      [1, false],
      [2, true],
    ]);
  });

  for (const codec of saslAuthenticateCodecs) {
    it(`v${codec.version} decodes the request kafkajs encodes and encodes the response fixture byte for byte`, () => {
      // Prepare
      const body = groupFixture('saslAuthenticate', codec.version, 'request');
      const expected = groupFixture('saslAuthenticate', codec.version, 'response');
      // Act
      const { request, unread } = decodeWhole(codec, body);
      const bytes = encodeBody(codec, responses[codec.version]!);
      // Assess
      expect(unread).toBe(0);
      expect(request.authBytes.toString()).toBe('n,,n=app,r=abc');
      expect(bytes.toString('hex')).toBe(expected.toString('hex'));
    });
  }

  it('v2 response bytes read back field by field with kafkajs\'s compact decoders', () => {
    // Prepare
    const codec = saslAuthenticateCodecs.find((each) => each.version === 2)!;
    const Decoder = createRequire(import.meta.url)('kafkajs/src/protocol/decoder');

    // Act
    const decoder = new Decoder(encodeBody(codec, responses[2]!));
    // (kafkajs's readUVarIntBytes returns one byte too many, so the compact bytes are read by length.)
    const compactBytes = (): Buffer => Buffer.from(decoder.readBytes(decoder.readUVarInt() - 1));
    const read = {
      errorCode: decoder.readInt16(),
      errorMessage: decoder.readUVarIntString(),
      authBytes: compactBytes(),
      sessionLifetimeMs: Number(decoder.readInt64()),
    };
    decoder.readTaggedFields();

    // Assess
    expect(read).toEqual(responses[2]);
    expect(decoder.canReadBytes(1)).toBe(false);
  });

  it('v2 decodes a request with tagged fields after auth_bytes, skipping them', () => {
    // Prepare: auth_bytes "abc", then one tagged field (tag 7, 2 bytes)
    const codec = saslAuthenticateCodecs.find((each) => each.version === 2)!;
    const body = Buffer.from([0x04, 0x61, 0x62, 0x63, 0x01, 0x07, 0x02, 0xff, 0xff]);

    // Act
    const { request, unread } = decodeWhole(codec, body);

    // Assess
    expect(request.authBytes.toString()).toBe('abc');
    expect(unread).toBe(0);
  });
});
