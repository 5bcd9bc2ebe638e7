import { describe, expect, it } from 'vitest';
import { Reader } from '../../../../../infra/local-msk/protocol/reader.js';
import { metadataCodecs, type MetadataResponse } from '../../../../../infra/local-msk/protocol/requests/metadata/index.js';
import { decodeRequest, encodeResponse, fixture, kafkajsRequest, kafkajsResponse } from './admin-codec-helpers.js';

const kafkajsArgs = { topics: ['events', 'audit'], allowAutoTopicCreation: false };

const partition = (index: number) => ({ errorCode: 0, index, leaderId: 1, replicaNodes: [1], isrNodes: [1], offlineReplicas: [] });

const response: MetadataResponse = {
  throttleTimeMs: 0,
  brokers: [{ nodeId: 1, host: 'localhost', port: 9092, rack: null }],
  clusterId: 'local-msk-cluster-0001',
  controllerId: 1,
  topics: [
    { errorCode: 0, name: 'events', isInternal: false, partitions: [partition(0), partition(1)] },
    { errorCode: 3, name: 'audit', isInternal: false, partitions: [] },
  ],
};

describe('Metadata codecs', () => {
  it('implements versions 0 to 6', () => {
    expect(metadataCodecs.map((codec) => codec.version)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  for (const codec of metadataCodecs) {
    const version = codec.version;

    it(`v${version} request fixture is what kafkajs encodes`, async () => {
      // Prepare
      const expected = fixture('metadata', `v${version}-request`);
      // Act
      const encoded = (await kafkajsRequest('metadata', version)(kafkajsArgs).encode()).buffer;
      // Assess
      expect(encoded.equals(expected)).toBe(true);
    });

    it(`v${version} decodes the request`, () => {
      // Prepare
      const body = fixture('metadata', `v${version}-request`);
      // Act
      const { request, unread } = decodeRequest(codec, body);
      // Assess
      expect(unread).toBe(0);
      expect(request).toEqual({ topics: ['events', 'audit'], allowAutoTopicCreation: version < 4 });
    });

    it(`v${version} encodes the response fixture byte for byte, and kafkajs reads it back`, async () => {
      // Prepare
      const expected = fixture('metadata', `v${version}-response`);
      // Act
      const bytes = encodeResponse(codec, response);
      const decoded = await kafkajsResponse('metadata', version).decode(bytes);
      // Assess
      expect(bytes.equals(expected)).toBe(true);
      expect(decoded.brokers).toEqual([expect.objectContaining({ nodeId: 1, host: 'localhost', port: 9092 })]);
      expect(decoded.topicMetadata.map((t: any) => [t.topicErrorCode, t.topic, t.partitionMetadata.length])).toEqual([
        [0, 'events', 2],
        [3, 'audit', 0],
      ]);
      expect(decoded.topicMetadata[0].partitionMetadata[1]).toMatchObject({ partitionId: 1, leader: 1, replicas: [1], isr: [1] });
      if (version >= 1) expect(decoded.controllerId).toBe(1);
      if (version >= 2) expect(decoded.clusterId).toBe('local-msk-cluster-0001');
      if (version >= 5) expect(decoded.topicMetadata[0].partitionMetadata[0].offlineReplicas).toEqual([]);
    });
  }

  it('v0 reads an empty topic list as "every topic", v1+ reads only null that way', () => {
    // Prepare
    const empty = Buffer.from('00000000', 'hex');
    const nullArray = Buffer.from('ffffffff', 'hex');
    // Act
    const v0 = metadataCodecs[0]!.decodeRequest(new Reader(empty));
    const v1Empty = metadataCodecs[1]!.decodeRequest(new Reader(empty));
    const v1Null = metadataCodecs[1]!.decodeRequest(new Reader(nullArray));
    // Assess
    expect(v0.topics).toBeNull();
    expect(v1Empty.topics).toEqual([]);
    expect(v1Null.topics).toBeNull();
  });
});
