import { describe, expect, it } from 'vitest';
import { describeGroupsCodecs, type DescribeGroupsResponse } from '../../../../../infra/local-msk/protocol/requests/describeGroups/index.js';
import { decodeWhole, encodeBody, groupFixture, kafkajsDecode } from './group-codec-helpers.js';

function response(authorizedOperations: number): DescribeGroupsResponse {
  return {
    throttleTimeMs: 0,
    groups: [
      {
        errorCode: 0,
        groupId: 'g1',
        groupState: 'Stable',
        protocolType: 'consumer',
        protocolData: 'RoundRobinAssigner',
        members: [
          { memberId: 'client-abc', groupInstanceId: null, clientId: 'client', clientHost: '/127.0.0.1', memberMetadata: Buffer.from([0, 1]), memberAssignment: Buffer.from([2, 3]) },
        ],
        authorizedOperations,
      },
      { errorCode: 0, groupId: 'g2', groupState: 'Dead', protocolType: '', protocolData: '', members: [], authorizedOperations },
    ],
  };
}

describe('DescribeGroups codecs', () => {
  it('implements versions 0 to 4', () => {
    expect(describeGroupsCodecs.map((codec) => codec.version)).toEqual([0, 1, 2, 3, 4]);
  });

  for (const codec of describeGroupsCodecs) {
    const version = codec.version;
    // The v3 fixture answers a request that asked for authorized operations, v4 one that did not.
    const authorizedOperations = version === 3 ? 328 : -2147483648;

    it(`v${version} decodes the request${version < 3 ? ' kafkajs encodes' : ''}`, () => {
      // Prepare
      const body = groupFixture('describeGroups', version, 'request');
      // Act
      const { request, unread } = decodeWhole(codec, body);
      // Assess
      expect(unread).toBe(0);
      expect(request).toEqual({ groups: ['g1', 'g2'], includeAuthorizedOperations: version === 3 });
    });

    it(`v${version} encodes the response fixture byte for byte`, async () => {
      // Prepare
      const expected = groupFixture('describeGroups', version, 'response');
      // Act
      const bytes = encodeBody(codec, response(authorizedOperations));
      // Assess
      expect(bytes.toString('hex')).toBe(expected.toString('hex'));
      if (version <= 2) {
        // kafkajs stops at v2: an independent reading of our bytes
        const decoded = await kafkajsDecode('describeGroups', version, bytes);
        expect(decoded.groups.map((group: { groupId: string; state: string }) => [group.groupId, group.state])).toEqual([['g1', 'Stable'], ['g2', 'Dead']]);
        expect(decoded.groups[0].members[0]).toEqual({
          memberId: 'client-abc',
          clientId: 'client',
          clientHost: '/127.0.0.1',
          memberMetadata: Buffer.from([0, 1]),
          memberAssignment: Buffer.from([2, 3]),
        });
      }
    });
  }
});
