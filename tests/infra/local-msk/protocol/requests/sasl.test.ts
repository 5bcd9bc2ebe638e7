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
  ];

  it('implements versions 0 and 1', () => {
    expect(saslAuthenticateCodecs.map((codec) => codec.version)).toEqual([0, 1]);
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
});
