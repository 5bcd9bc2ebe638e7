import { describe, expect, it } from 'vitest';
import { decodeRecordBatch, readBatchHeader } from '../../../../../infra/local-msk/protocol/record-batch/index.js';
import { produceCodecs, type ProduceResponse } from '../../../../../infra/local-msk/protocol/requests/produce/index.js';
import { decodeRequest, encodeResponse, fixture, kafkajsRequest, kafkajsResponse } from './admin-codec-helpers.js';

const timestamp = 1_700_000_000_000;

/** What the fixtures were generated from (kafkajs's own encoder, see the request test). */
const kafkajsArgs = {
  acks: -1,
  timeout: 30000,
  transactionalId: null,
  topicData: [
    {
      topic: 'events',
      partitions: [
        {
          partition: 0,
          firstSequence: 0,
          messages: [
            { key: 'k1', value: 'v1', timestamp, headers: { h: 'x' } },
            { key: null, value: 'v2', timestamp: timestamp + 5 },
          ],
        },
      ],
    },
  ],
};

const response: ProduceResponse = {
  throttleTimeMs: 0,
  topics: [
    {
      name: 'events',
      partitions: [
        { index: 0, errorCode: 0, baseOffset: 42, logAppendTimeMs: -1, logStartOffset: 7 },
        { index: 1, errorCode: 76, baseOffset: -1, logAppendTimeMs: -1, logStartOffset: -1 },
      ],
    },
  ],
};

describe('Produce codecs', () => {
  it('implements versions 0 to 7', () => {
    expect(produceCodecs.map((codec) => codec.version)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  for (const codec of produceCodecs.filter((c) => c.version <= 2)) {
    const version = codec.version;

    it(`v${version} request fixture is what kafkajs encodes (a MessageSet v${version === 2 ? 1 : version} record set)`, async () => {
      // Prepare
      const expected = fixture('produce', `v${version}-request`);
      // Act
      const encoded = (await kafkajsRequest('produce', version)(kafkajsArgs).encode()).buffer;
      // Assess
      expect(encoded.equals(expected)).toBe(true);
    });

    it(`v${version} decodes the request and keeps the legacy record set for the handler to refuse`, () => {
      // Prepare
      const body = fixture('produce', `v${version}-request`);
      // Act
      const { request, unread } = decodeRequest(codec, body);
      // Assess
      expect(unread).toBe(0);
      expect(request).toMatchObject({ transactionalId: null, acks: -1, timeoutMs: 30000 });
      const records = request.topics[0]!.partitions[0]!.records!;
      expect(records.readInt8(16)).toBe(version === 2 ? 1 : 0);
    });

    it(`v${version} encodes the response fixture byte for byte, and kafkajs reads it back`, async () => {
      // Prepare
      const expected = fixture('produce', `v${version}-response`);
      // Act
      const bytes = encodeResponse(codec, response);
      const decoded = await kafkajsResponse('produce', version).decode(bytes);
      // Assess
      expect(bytes.equals(expected)).toBe(true);
      expect(decoded.topics[0].partitions[0]).toMatchObject({ partition: 0, errorCode: 0, offset: '42' });
      expect(decoded.topics[0].partitions[1]).toMatchObject({ partition: 1, errorCode: 76, offset: '-1' });
      if (version === 2) expect(decoded.topics[0].partitions[0].timestamp).toBe('-1');
      if (version >= 1) expect(decoded.throttleTime).toBe(0);
    });
  }

  for (const codec of produceCodecs.filter((c) => c.version >= 3)) {
    const version = codec.version;

    it(`v${version} request fixture is what kafkajs encodes`, async () => {
      // Prepare
      const expected = fixture('produce', `v${version}-request`);
      // Act
      const encoded = (await kafkajsRequest('produce', version)(kafkajsArgs).encode()).buffer;
      // Assess
      expect(encoded.equals(expected)).toBe(true);
    });

    it(`v${version} decodes the request, keeping the record batch as sent`, async () => {
      // Prepare
      const body = fixture('produce', `v${version}-request`);
      // Act
      const { request, unread } = decodeRequest(codec, body);
      // Assess
      expect(unread).toBe(0);
      expect(request.transactionalId).toBeNull();
      expect(request.acks).toBe(-1);
      expect(request.timeoutMs).toBe(30000);
      expect(request.topics.map((t) => t.name)).toEqual(['events']);
      const [partition] = request.topics[0]!.partitions;
      expect(partition!.index).toBe(0);
      const records = partition!.records!;
      expect(readBatchHeader(records)).toMatchObject({ magic: 2, recordCount: 2, firstTimestamp: timestamp, maxTimestamp: timestamp + 5 });
      const decoded = await decodeRecordBatch(records);
      expect(decoded.records.map((r) => [r.key?.toString() ?? null, r.value?.toString(), r.timestamp])).toEqual([
        ['k1', 'v1', timestamp],
        [null, 'v2', timestamp + 5],
      ]);
      expect(decoded.records[0]!.headers.map((h) => [h.key, h.value?.toString()])).toEqual([['h', 'x']]);
    });

    it(`v${version} encodes the response fixture byte for byte, and kafkajs reads it back`, async () => {
      // Prepare
      const expected = fixture('produce', `v${version}-response`);
      // Act
      const bytes = encodeResponse(codec, response);
      const decoded = await kafkajsResponse('produce', version).decode(bytes);
      // Assess
      expect(bytes.equals(expected)).toBe(true);
      expect(decoded.topics[0].topicName).toBe('events');
      expect(decoded.topics[0].partitions[0]).toMatchObject({ partition: 0, errorCode: 0, baseOffset: '42', logAppendTime: '-1' });
      expect(decoded.topics[0].partitions[1]).toMatchObject({ partition: 1, errorCode: 76, baseOffset: '-1' });
      if (version >= 5) expect(decoded.topics[0].partitions[0].logStartOffset).toBe('7');
      else expect(decoded.topics[0].partitions[0].logStartOffset).toBeUndefined();
    });
  }
});
