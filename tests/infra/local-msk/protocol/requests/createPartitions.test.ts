import { describe, expect, it } from 'vitest';
import { createPartitionsCodecs, type CreatePartitionsResponse } from '../../../../../infra/local-msk/protocol/requests/createPartitions/index.js';
import { decodeRequest, encodeResponse, fixture, kafkajsResponse } from './admin-codec-helpers.js';

const response: CreatePartitionsResponse = {
  throttleTimeMs: 0,
  results: [
    { name: 'orders', errorCode: 0, errorMessage: null },
    { name: 'audit', errorCode: 37, errorMessage: 'topic audit has 2 partitions; the new count 2 must be larger' },
  ],
};

describe('CreatePartitions codecs', () => {
  it('implements versions 0 and 1', () => {
    expect(createPartitionsCodecs.map((codec) => codec.version)).toEqual([0, 1]);
  });

  for (const codec of createPartitionsCodecs) {
    const version = codec.version;

    it(`v${version} decodes the request kafkajs encodes (no assignments is null)`, () => {
      // Prepare
      const body = fixture('createPartitions', `v${version}-request`);
      // Act
      const { request, unread } = decodeRequest(codec, body);
      // Assess
      expect(unread).toBe(0);
      expect(request).toEqual({
        topics: [
          { name: 'orders', count: 5, assignments: null },
          { name: 'audit', count: 2, assignments: [{ brokerIds: [1] }] },
        ],
        timeoutMs: 5000,
        validateOnly: false,
      });
    });

    it(`v${version} encodes the response fixture byte for byte, and kafkajs reads it back`, async () => {
      // Prepare
      const expected = fixture('createPartitions', `v${version}-response`);
      // Act
      const bytes = encodeResponse(codec, response);
      const decoded = await kafkajsResponse('createPartitions', version).decode(bytes);
      // Assess
      expect(bytes.equals(expected)).toBe(true);
      expect(decoded.topicErrors).toEqual([
        { topic: 'audit', errorCode: 37, errorMessage: 'topic audit has 2 partitions; the new count 2 must be larger' },
        { topic: 'orders', errorCode: 0, errorMessage: null },
      ]);
    });
  }
});
