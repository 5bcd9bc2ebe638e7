import { describe, expect, it } from 'vitest';
import { MalformedRequestError } from '../../../../../infra/local-msk/errors.js';
import { findCoordinatorCodecs, type FindCoordinatorResponse } from '../../../../../infra/local-msk/protocol/requests/findCoordinator/index.js';
import { decodeWhole, encodeBody, groupFixture, kafkajsDecode } from './group-codec-helpers.js';

const requests = [
  { key: 'my-group', keyType: 0 },
  { key: 'my-group', keyType: 0 },
  { key: 'txn-id', keyType: 1 },
];
const responses: FindCoordinatorResponse[] = [
  { throttleTimeMs: 0, errorCode: 0, errorMessage: null, nodeId: 1, host: 'localhost', port: 9092 },
  { throttleTimeMs: 0, errorCode: 0, errorMessage: null, nodeId: 1, host: 'localhost', port: 9092 },
  { throttleTimeMs: 0, errorCode: 15, errorMessage: 'transactions are not supported by the local MSK', nodeId: -1, host: '', port: -1 },
];

describe('FindCoordinator codecs', () => {
  it('implements versions 0 to 2', () => {
    expect(findCoordinatorCodecs.map((codec) => codec.version)).toEqual([0, 1, 2]);
  });

  for (const codec of findCoordinatorCodecs) {
    const version = codec.version;

    it(`v${version} decodes the request kafkajs encodes`, () => {
      // Prepare
      const body = groupFixture('findCoordinator', version, 'request');
      // Act
      const { request, unread } = decodeWhole(codec, body);
      // Assess
      expect(unread).toBe(0);
      expect(request).toEqual(requests[version]);
    });

    it(`v${version} encodes the response fixture byte for byte, and kafkajs reads it back`, async () => {
      // Prepare
      const expected = groupFixture('findCoordinator', version, 'response');
      // Act
      const bytes = encodeBody(codec, responses[version]!);
      const decoded = await kafkajsDecode('findCoordinator', version, bytes);
      // Assess
      expect(bytes.toString('hex')).toBe(expected.toString('hex'));
      expect(decoded.errorCode).toBe(responses[version]!.errorCode);
      expect(decoded.coordinator).toEqual({ nodeId: responses[version]!.nodeId, host: responses[version]!.host, port: responses[version]!.port });
      if (version >= 1) expect(decoded.errorMessage).toBe(responses[version]!.errorMessage);
    });
  }

  it('rejects a request cut inside the key as malformed', () => {
    // Prepare
    const body = groupFixture('findCoordinator', 1, 'request');
    // Act / Assess
    expect(() => decodeWhole(findCoordinatorCodecs[1]!, body.subarray(0, 5))).toThrow(MalformedRequestError);
  });
});
