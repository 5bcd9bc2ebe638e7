import { describe, expect, it } from 'vitest';
import { MalformedRequestError } from '../../../../../infra/local-msk/errors.js';
import { deleteTopicsCodecs, type DeleteTopicsResponse } from '../../../../../infra/local-msk/protocol/requests/deleteTopics/index.js';
import { decodeRequest, encodeResponse, fixture, kafkajsResponse } from './admin-codec-helpers.js';

const response: DeleteTopicsResponse = {
  throttleTimeMs: 0,
  responses: [
    { name: 'orders', errorCode: 0 },
    { name: 'missing', errorCode: 3 },
  ],
};

describe('DeleteTopics codecs', () => {
  it('implements versions 0 to 3', () => {
    expect(deleteTopicsCodecs.map((codec) => codec.version)).toEqual([0, 1, 2, 3]);
  });

  for (const codec of deleteTopicsCodecs) {
    const version = codec.version;

    it(`v${version} decodes the request kafkajs encodes`, () => {
      // Prepare
      const body = fixture('deleteTopics', `v${version}-request`);
      // Act
      const { request, unread } = decodeRequest(codec, body);
      // Assess
      expect(unread).toBe(0);
      expect(request).toEqual({ topicNames: ['orders', 'audit'], timeoutMs: 5000 });
    });

    it(`v${version} encodes the response fixture byte for byte, and kafkajs reads it back`, async () => {
      // Prepare
      const expected = fixture('deleteTopics', `v${version}-response`);
      // Act
      const bytes = encodeResponse(codec, response);
      // kafkajs stops at v1; v2 and v3 share its grammar.
      const decoded = await kafkajsResponse('deleteTopics', Math.min(version, 1)).decode(bytes);
      // Assess
      expect(bytes.equals(expected)).toBe(true);
      expect(decoded.topicErrors).toEqual([
        { topic: 'missing', errorCode: 3 },
        { topic: 'orders', errorCode: 0 },
      ]);
    });
  }

  it('rejects a topic array whose count exceeds the bytes left', () => {
    // Prepare: count 1000 with only a timeout following
    const body = Buffer.from('000003e800001388', 'hex');
    // Act / Assess
    expect(() => decodeRequest(deleteTopicsCodecs[0]!, body)).toThrow(MalformedRequestError);
  });
});
