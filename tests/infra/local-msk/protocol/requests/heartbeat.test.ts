import { describe, expect, it } from 'vitest';
import { heartbeatCodecs } from '../../../../../infra/local-msk/protocol/requests/heartbeat/index.js';
import { decodeWhole, encodeBody, groupFixture, kafkajsDecode } from './group-codec-helpers.js';

const errorCodes = [0, 27, 0, 22];

describe('Heartbeat codecs', () => {
  it('implements versions 0 to 3', () => {
    expect(heartbeatCodecs.map((codec) => codec.version)).toEqual([0, 1, 2, 3]);
  });

  for (const codec of heartbeatCodecs) {
    const version = codec.version;

    it(`v${version} decodes the request kafkajs encodes`, () => {
      // Prepare
      const body = groupFixture('heartbeat', version, 'request');
      // Act
      const { request, unread } = decodeWhole(codec, body);
      // Assess
      expect(unread).toBe(0);
      expect(request).toEqual({ groupId: 'g1', generationId: 3, memberId: 'client-abc', groupInstanceId: null });
    });

    it(`v${version} encodes the response fixture byte for byte, and kafkajs reads it back`, async () => {
      // Prepare
      const expected = groupFixture('heartbeat', version, 'response');
      // Act
      const bytes = encodeBody(codec, { throttleTimeMs: 0, errorCode: errorCodes[version]! });
      const decoded = await kafkajsDecode('heartbeat', version, bytes);
      // Assess
      expect(bytes.toString('hex')).toBe(expected.toString('hex'));
      expect(decoded.errorCode).toBe(errorCodes[version]);
    });
  }
});
