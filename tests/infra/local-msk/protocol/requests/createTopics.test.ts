import { describe, expect, it } from 'vitest';
import { MalformedRequestError } from '../../../../../infra/local-msk/errors.js';
import { createTopicsCodecs, type CreateTopicsResponse } from '../../../../../infra/local-msk/protocol/requests/createTopics/index.js';
import { decodeRequest, encodeResponse, fixture, kafkajsRequest, kafkajsResponse } from './admin-codec-helpers.js';

const expectedTopics = [
  { name: 'orders', numPartitions: 3, replicationFactor: 1, assignments: [], configs: [{ name: 'retention.ms', value: '60000' }] },
  { name: 'audit', numPartitions: -1, replicationFactor: -1, assignments: [{ partitionIndex: 0, brokerIds: [1] }], configs: [] },
];

const response: CreateTopicsResponse = {
  throttleTimeMs: 0,
  topics: [
    { name: 'orders', errorCode: 0, errorMessage: null },
    { name: 'audit', errorCode: 36, errorMessage: 'topic audit already exists' },
  ],
};

describe('CreateTopics codecs', () => {
  it('implements versions 0 to 4', () => {
    expect(createTopicsCodecs.map((codec) => codec.version)).toEqual([0, 1, 2, 3, 4]);
  });

  for (const codec of createTopicsCodecs) {
    const version = codec.version;

    it(`v${version} decodes the request kafkajs encodes`, () => {
      // Prepare
      const body = fixture('createTopics', `v${version}-request`);
      // Act
      const { request, unread } = decodeRequest(codec, body);
      // Assess
      expect(unread).toBe(0);
      expect(request).toEqual({ topics: expectedTopics, timeoutMs: 5000, validateOnly: version >= 1 });
    });

    it(`v${version} encodes the response fixture byte for byte, and kafkajs reads it back`, async () => {
      // Prepare
      const expected = fixture('createTopics', `v${version}-response`);
      // Act
      const bytes = encodeResponse(codec, response);
      // kafkajs stops at v3; v4's grammar is identical.
      const decoded = await kafkajsResponse('createTopics', Math.min(version, 3)).decode(bytes);
      // Assess
      expect(bytes.equals(expected)).toBe(true);
      const byName = Object.fromEntries(decoded.topicErrors.map((t: { topic: string }) => [t.topic, t]));
      expect(byName.orders.errorCode).toBe(0);
      expect(byName.audit.errorCode).toBe(36);
      if (version >= 1) expect(byName.audit.errorMessage).toBe('topic audit already exists');
      if (version >= 1) expect(byName.orders.errorMessage).toBeNull();
    });
  }

  it('decodes a null config value (the broker rejects it later)', async () => {
    // Prepare: kafkajs writes a null string when the value is undefined
    const body = (await kafkajsRequest('createTopics', 3)({
      topics: [{ topic: 't', configEntries: [{ name: 'retention.ms', value: undefined }] }],
      validateOnly: false,
      timeout: 1,
    }).encode()).buffer;
    // Act
    const { request } = decodeRequest(createTopicsCodecs[3]!, body);
    // Assess
    expect(request.topics[0]!.configs).toEqual([{ name: 'retention.ms', value: null }]);
  });

  it('rejects a truncated request as malformed', () => {
    // Prepare
    const body = fixture('createTopics', 'v1-request');
    // Act / Assess
    expect(() => decodeRequest(createTopicsCodecs[1]!, body.subarray(0, body.length - 3))).toThrow(MalformedRequestError);
  });
});
