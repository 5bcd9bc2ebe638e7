import { describe, expect, it } from 'vitest';
import { offsetFetchCodecs, type OffsetFetchResponse } from '../../../../../infra/local-msk/protocol/requests/offsetFetch/index.js';
import { Reader } from '../../../../../infra/local-msk/protocol/reader.js';
import { decodeWhole, encodeBody, groupFixture, kafkajsDecode } from './group-codec-helpers.js';

const response: OffsetFetchResponse = {
  throttleTimeMs: 0,
  errorCode: 0,
  topics: [
    {
      name: 't1',
      partitions: [
        { partitionIndex: 0, committedOffset: 42, committedLeaderEpoch: -1, metadata: 'meta', errorCode: 0 },
        { partitionIndex: 1, committedOffset: -1, committedLeaderEpoch: -1, metadata: '', errorCode: 0 },
      ],
    },
  ],
};

describe('OffsetFetch codecs', () => {
  it('implements versions 1 to 5', () => {
    expect(offsetFetchCodecs.map((codec) => codec.version)).toEqual([1, 2, 3, 4, 5]);
  });

  for (const codec of offsetFetchCodecs) {
    const version = codec.version;

    it(`v${version} decodes the request${version <= 3 ? ' kafkajs encodes' : ''}`, () => {
      // Prepare
      const body = groupFixture('offsetFetch', version, 'request');
      // Act
      const { request, unread } = decodeWhole(codec, body);
      // Assess
      expect(unread).toBe(0);
      // The v4 fixture asks for every committed partition (null topics).
      expect(request).toEqual({ groupId: 'g1', topics: version === 4 ? null : [{ name: 't1', partitionIndexes: [0, 1] }] });
    });

    it(`v${version} encodes the response fixture byte for byte${version <= 4 ? ', and kafkajs reads it back' : ''}`, async () => {
      // Prepare
      const expected = groupFixture('offsetFetch', version, 'response');
      // Act
      const bytes = encodeBody(codec, response);
      // Assess
      expect(bytes.toString('hex')).toBe(expected.toString('hex'));
      if (version <= 4) {
        const decoded = await kafkajsDecode('offsetFetch', version, bytes);
        expect(decoded.responses).toEqual([
          {
            topic: 't1',
            partitions: [
              { partition: 0, offset: '42', metadata: 'meta', errorCode: 0 },
              { partition: 1, offset: '-1', metadata: '', errorCode: 0 },
            ],
          },
        ]);
        if (version >= 2) expect(decoded.errorCode).toBe(0);
      }
    });
  }

  it('v1 reads a null topics array as no topics (null only means "all" from v2 on)', () => {
    // Prepare: group_id "g1", topics count -1
    const body = Buffer.from('00026731ffffffff', 'hex');
    // Act
    const request = offsetFetchCodecs[0]!.decodeRequest(new Reader(body));
    // Assess
    expect(request).toEqual({ groupId: 'g1', topics: [] });
  });
});
