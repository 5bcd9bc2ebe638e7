import { describe, expect, it } from 'vitest';
import { encodeRecordBatch } from '../../../../../infra/local-msk/protocol/record-batch/index.js';
import { fetchCodecs, type FetchResponse } from '../../../../../infra/local-msk/protocol/requests/fetch/index.js';
import { decodeRequest, encodeResponse, fixture, kafkajsRequest, kafkajsResponse } from './admin-codec-helpers.js';

const timestamp = 1_700_000_000_000;

const kafkajsArgs = {
  replicaId: -1,
  maxWaitTime: 5000,
  minBytes: 1,
  maxBytes: 10485760,
  isolationLevel: 1,
  topics: [
    {
      topic: 'events',
      partitions: [
        { partition: 0, fetchOffset: '5', maxBytes: 1048576 },
        { partition: 2, fetchOffset: '0', maxBytes: 1048576 },
      ],
    },
  ],
};

/** A stored batch at offset 5 with two records (our encoder; kafkajs decodes it in the test). */
const batch = encodeRecordBatch({
  baseOffset: 5,
  records: [
    { key: 'k1', value: 'v1', timestamp, headers: [{ key: 'h', value: 'x' }] },
    { key: null, value: 'v2', timestamp: timestamp + 5 },
  ],
});

const response: FetchResponse = {
  throttleTimeMs: 0,
  errorCode: 0,
  sessionId: 0,
  topics: [
    {
      name: 'events',
      partitions: [
        { index: 0, errorCode: 0, highWatermark: 7, lastStableOffset: 7, logStartOffset: 0, abortedTransactions: [], preferredReadReplica: -1, records: [batch] },
        { index: 2, errorCode: 1, highWatermark: 3, lastStableOffset: 3, logStartOffset: 1, abortedTransactions: [], preferredReadReplica: -1, records: [] },
      ],
    },
  ],
};

describe('Fetch codecs', () => {
  it('implements versions 4 to 11', () => {
    expect(fetchCodecs.map((codec) => codec.version)).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
  });

  for (const codec of fetchCodecs) {
    const version = codec.version;

    it(`v${version} request fixture is what kafkajs encodes`, async () => {
      // Prepare
      const expected = fixture('fetch', `v${version}-request`);
      // Act
      const encoded = (await kafkajsRequest('fetch', version)(kafkajsArgs).encode()).buffer;
      // Assess
      expect(encoded.equals(expected)).toBe(true);
    });

    it(`v${version} decodes the request`, () => {
      // Prepare
      const body = fixture('fetch', `v${version}-request`);
      // Act
      const { request, unread } = decodeRequest(codec, body);
      // Assess
      expect(unread).toBe(0);
      expect(request).toEqual({
        replicaId: -1,
        maxWaitMs: 5000,
        minBytes: 1,
        maxBytes: 10485760,
        isolationLevel: 1,
        sessionId: 0,
        sessionEpoch: -1,
        topics: [
          {
            name: 'events',
            partitions: [
              { index: 0, currentLeaderEpoch: -1, fetchOffset: 5, logStartOffset: -1, partitionMaxBytes: 1048576 },
              { index: 2, currentLeaderEpoch: -1, fetchOffset: 0, logStartOffset: -1, partitionMaxBytes: 1048576 },
            ],
          },
        ],
        forgottenTopics: [],
        rackId: '',
      });
    });

    it(`v${version} encodes the response fixture byte for byte, and kafkajs reads the records back`, async () => {
      // Prepare
      const expected = fixture('fetch', `v${version}-response`);
      // Act
      const bytes = encodeResponse(codec, response);
      const decoded = await kafkajsResponse('fetch', version).decode(bytes);
      // Assess
      expect(bytes.equals(expected)).toBe(true);
      const [withData, withError] = decoded.responses[0].partitions;
      expect(decoded.responses[0].topicName).toBe('events');
      expect(withData).toMatchObject({ partition: 0, errorCode: 0, highWatermark: '7', lastStableOffset: '7', abortedTransactions: [] });
      expect(withData.messages.map((m: any) => [m.offset, m.key?.toString() ?? null, m.value.toString(), m.timestamp])).toEqual([
        ['5', 'k1', 'v1', String(timestamp)],
        ['6', null, 'v2', String(timestamp + 5)],
      ]);
      expect(withData.messages[0].headers.h.toString()).toBe('x');
      expect(withError).toMatchObject({ partition: 2, errorCode: 1, highWatermark: '3', messages: [] });
      if (version >= 7) expect(decoded).toMatchObject({ errorCode: 0, sessionId: 0 });
      if (version >= 11) expect(withData.preferredReadReplica).toBe(-1);
    });
  }

  it('v11 reads the null rack id librdkafka sends when client.rack is unset as ""', () => {
    // Prepare
    const body = Buffer.from(fixture('fetch', 'v11-request'));
    body.writeInt16BE(-1, body.length - 2);
    // Act
    const { request, unread } = decodeRequest(fetchCodecs[fetchCodecs.length - 1]!, body);
    // Assess
    expect(unread).toBe(0);
    expect(request.rackId).toBe('');
  });
});
