import { describe, expect, it } from 'vitest';
import { initProducerIdCodecs } from '../../../../../infra/local-msk/protocol/requests/initProducerId/index.js';
import { decodeRequest, encodeResponse, fixture, kafkajsRequest, kafkajsResponse } from './admin-codec-helpers.js';

describe('InitProducerId codecs', () => {
  it('implements versions 0 and 1', () => {
    expect(initProducerIdCodecs.map((codec) => codec.version)).toEqual([0, 1]);
  });

  for (const codec of initProducerIdCodecs) {
    const version = codec.version;

    it(`v${version} decodes the idempotent producer's request kafkajs encodes`, () => {
      // Prepare
      const body = fixture('initProducerId', `v${version}-request`);
      // Act
      const { request, unread } = decodeRequest(codec, body);
      // Assess
      expect(unread).toBe(0);
      expect(request).toEqual({ transactionalId: null, transactionTimeoutMs: 60000 });
    });

    it(`v${version} decodes a transactional id`, async () => {
      // Prepare
      const body = (await kafkajsRequest('initProducerId', version)({ transactionalId: 'tx-1', transactionTimeout: 30000 }).encode()).buffer;
      // Act
      const { request } = decodeRequest(codec, body);
      // Assess
      expect(request).toEqual({ transactionalId: 'tx-1', transactionTimeoutMs: 30000 });
    });

    it(`v${version} encodes the response fixture byte for byte, and kafkajs reads it back`, async () => {
      // Prepare
      const expected = fixture('initProducerId', `v${version}-response`);
      // Act
      const bytes = encodeResponse(codec, { throttleTimeMs: 0, errorCode: 0, producerId: 4096, producerEpoch: 0 });
      const decoded = await kafkajsResponse('initProducerId', version).decode(bytes);
      // Assess
      expect(bytes.equals(expected)).toBe(true);
      expect(decoded).toMatchObject({ errorCode: 0, producerId: '4096', producerEpoch: 0 });
    });
  }
});
