import { describe, expect, it } from 'vitest';
import { listOffsetsCodecs, type ListOffsetsResponse } from '../../../../../infra/local-msk/protocol/requests/listOffsets/index.js';
import { decodeRequest, encodeResponse, fixture, kafkajsRequest, kafkajsResponse } from './admin-codec-helpers.js';

const timestamp = 1_700_000_000_000;

const kafkajsArgs = {
  replicaId: -1,
  isolationLevel: 1,
  topics: [{ topic: 'events', partitions: [{ partition: 0, timestamp: -1 }, { partition: 1, timestamp }] }],
};

const response: ListOffsetsResponse = {
  throttleTimeMs: 0,
  topics: [
    {
      name: 'events',
      partitions: [
        { index: 0, errorCode: 0, timestamp: -1, offset: 12, oldStyleOffsets: [12] },
        { index: 1, errorCode: 0, timestamp: timestamp + 5, offset: 3, oldStyleOffsets: [3] },
        { index: 9, errorCode: 3, timestamp: -1, offset: -1, oldStyleOffsets: [] },
      ],
    },
  ],
};

describe('ListOffsets codecs', () => {
  it('implements versions 0 to 3', () => {
    expect(listOffsetsCodecs.map((codec) => codec.version)).toEqual([0, 1, 2, 3]);
  });

  for (const codec of listOffsetsCodecs) {
    const version = codec.version;

    it(`v${version} request fixture is what kafkajs encodes`, async () => {
      // Prepare
      const expected = fixture('listOffsets', `v${version}-request`);
      // Act
      const encoded = (await kafkajsRequest('listOffsets', version)(kafkajsArgs).encode()).buffer;
      // Assess
      expect(encoded.equals(expected)).toBe(true);
    });

    it(`v${version} decodes the request`, () => {
      // Prepare
      const body = fixture('listOffsets', `v${version}-request`);
      // Act
      const { request, unread } = decodeRequest(codec, body);
      // Assess
      expect(unread).toBe(0);
      expect(request).toEqual({
        replicaId: -1,
        isolationLevel: version >= 2 ? 1 : 0,
        topics: [
          {
            name: 'events',
            partitions: [
              { index: 0, timestamp: -1, maxNumOffsets: 1 },
              { index: 1, timestamp, maxNumOffsets: 1 },
            ],
          },
        ],
      });
    });

    it(`v${version} encodes the response fixture byte for byte, and kafkajs reads it back`, async () => {
      // Prepare
      const expected = fixture('listOffsets', `v${version}-response`);
      // Act
      const bytes = encodeResponse(codec, response);
      const decoded = await kafkajsResponse('listOffsets', version).decode(bytes);
      // Assess
      expect(bytes.equals(expected)).toBe(true);
      const partitions = decoded.responses[0].partitions;
      expect(decoded.responses[0].topic).toBe('events');
      if (version === 0) {
        expect(partitions.map((p: any) => [p.partition, p.errorCode, p.offsets])).toEqual([
          [0, 0, ['12']],
          [1, 0, ['3']],
          [9, 3, []],
        ]);
      } else {
        expect(partitions.map((p: any) => [p.partition, p.errorCode, p.timestamp, p.offset])).toEqual([
          [0, 0, '-1', '12'],
          [1, 0, String(timestamp + 5), '3'],
          [9, 3, '-1', '-1'],
        ]);
      }
      if (version >= 2) expect(decoded.throttleTime).toBe(0);
    });
  }
});
