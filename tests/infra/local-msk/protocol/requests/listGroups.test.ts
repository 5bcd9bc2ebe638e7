import { describe, expect, it } from 'vitest';
import { listGroupsCodecs, type ListGroupsResponse } from '../../../../../infra/local-msk/protocol/requests/listGroups/index.js';
import { decodeWhole, encodeBody, groupFixture, kafkajsDecode } from './group-codec-helpers.js';

const response: ListGroupsResponse = {
  throttleTimeMs: 0,
  errorCode: 0,
  groups: [
    { groupId: 'g1', protocolType: 'consumer' },
    { groupId: 'g2', protocolType: '' },
  ],
};

describe('ListGroups codecs', () => {
  it('implements versions 0 to 2', () => {
    expect(listGroupsCodecs.map((codec) => codec.version)).toEqual([0, 1, 2]);
  });

  for (const codec of listGroupsCodecs) {
    const version = codec.version;

    it(`v${version} decodes the (empty) request kafkajs encodes`, () => {
      // Prepare
      const body = groupFixture('listGroups', version, 'request');
      // Act
      const { request, unread } = decodeWhole(codec, body);
      // Assess
      expect(body.length).toBe(0);
      expect(unread).toBe(0);
      expect(request).toEqual({});
    });

    it(`v${version} encodes the response fixture byte for byte, and kafkajs reads it back`, async () => {
      // Prepare
      const expected = groupFixture('listGroups', version, 'response');
      // Act
      const bytes = encodeBody(codec, response);
      const decoded = await kafkajsDecode('listGroups', version, bytes);
      // Assess
      expect(bytes.toString('hex')).toBe(expected.toString('hex'));
      expect(decoded.errorCode).toBe(0);
      expect(decoded.groups).toEqual(response.groups);
    });
  }
});
