import { describe, expect, it } from 'vitest';
import { offsetCommitCodecs, type OffsetCommitResponse } from '../../../../../infra/local-msk/protocol/requests/offsetCommit/index.js';
import { decodeWhole, encodeBody, groupFixture, kafkajsDecode } from './group-codec-helpers.js';

function expectedRequest(version: number) {
  const epoch = (value: number) => (version >= 6 ? value : -1);
  return {
    groupId: 'g1',
    generationId: version === 0 ? -1 : 3,
    memberId: version === 0 ? '' : 'client-abc',
    groupInstanceId: version >= 7 ? 'instance-1' : null,
    retentionTimeMs: version === 2 ? 86400000 : -1,
    topics: [
      {
        name: 't1',
        partitions: [
          { partitionIndex: 0, committedOffset: 42, committedLeaderEpoch: epoch(5), commitTimestamp: version === 1 ? 1700000000000 : -1, committedMetadata: null },
          { partitionIndex: 1, committedOffset: 7, committedLeaderEpoch: epoch(-1), commitTimestamp: -1, committedMetadata: 'm' },
        ],
      },
    ],
  };
}

const response: OffsetCommitResponse = {
  throttleTimeMs: 0,
  topics: [{ name: 't1', partitions: [{ partitionIndex: 0, errorCode: 0 }, { partitionIndex: 1, errorCode: 3 }] }],
};

describe('OffsetCommit codecs', () => {
  it('implements versions 0 to 7', () => {
    expect(offsetCommitCodecs.map((codec) => codec.version)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  for (const codec of offsetCommitCodecs) {
    const version = codec.version;

    it(`v${version} decodes the request${version <= 5 ? ' kafkajs encodes' : ''}`, () => {
      // Prepare
      const body = groupFixture('offsetCommit', version, 'request');
      // Act
      const { request, unread } = decodeWhole(codec, body);
      // Assess
      expect(unread).toBe(0);
      expect(request).toEqual(expectedRequest(version));
    });

    it(`v${version} encodes the response fixture byte for byte, and kafkajs reads it back`, async () => {
      // Prepare
      const expected = groupFixture('offsetCommit', version, 'response');
      // Act
      const bytes = encodeBody(codec, response);
      // kafkajs stops at v5; v6 and v7 answer with v5's grammar.
      const decoded = await kafkajsDecode('offsetCommit', Math.min(version, 5), bytes);
      // Assess
      expect(bytes.toString('hex')).toBe(expected.toString('hex'));
      expect(decoded.responses).toEqual([{ topic: 't1', partitions: [{ partition: 0, errorCode: 0 }, { partition: 1, errorCode: 3 }] }]);
    });
  }
});
