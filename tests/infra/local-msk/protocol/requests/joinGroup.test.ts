import { describe, expect, it } from 'vitest';
import { MalformedRequestError } from '../../../../../infra/local-msk/errors.js';
import { joinGroupCodecs, type JoinGroupResponse } from '../../../../../infra/local-msk/protocol/requests/joinGroup/index.js';
import { decodeWhole, encodeBody, groupFixture, kafkajsDecode } from './group-codec-helpers.js';

const protocols = [
  { name: 'RoundRobinAssigner', metadata: Buffer.from([0, 1, 2, 3]) },
  { name: 'range', metadata: Buffer.alloc(0) },
];

function expectedRequest(version: number) {
  return {
    groupId: 'g1',
    sessionTimeoutMs: 30000,
    rebalanceTimeoutMs: version === 0 ? 30000 : 60000, // v0 has none: the session timeout stands in
    memberId: version >= 4 ? 'client-abc' : '',
    groupInstanceId: version >= 5 ? 'instance-1' : null,
    protocolType: 'consumer',
    protocols,
  };
}

const stable: JoinGroupResponse = {
  throttleTimeMs: 0,
  errorCode: 0,
  generationId: 3,
  protocolName: 'RoundRobinAssigner',
  leader: 'client-abc',
  memberId: 'client-abc',
  members: [
    { memberId: 'client-abc', groupInstanceId: null, metadata: Buffer.from([0, 1, 2, 3]) },
    { memberId: 'client-def', groupInstanceId: 'instance-2', metadata: Buffer.from([4, 5]) },
  ],
};
const memberIdRequired: JoinGroupResponse = {
  throttleTimeMs: 0, errorCode: 79, generationId: -1, protocolName: '', leader: '', memberId: 'client-abc', members: [],
};

describe('JoinGroup codecs', () => {
  it('implements versions 0 to 5', () => {
    expect(joinGroupCodecs.map((codec) => codec.version)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  for (const codec of joinGroupCodecs) {
    const version = codec.version;
    const response = version === 4 ? memberIdRequired : stable;

    it(`v${version} decodes the request kafkajs encodes`, () => {
      // Prepare
      const body = groupFixture('joinGroup', version, 'request');
      // Act
      const { request, unread } = decodeWhole(codec, body);
      // Assess
      expect(unread).toBe(0);
      expect(request).toEqual(expectedRequest(version));
    });

    it(`v${version} encodes the response fixture byte for byte, and kafkajs reads it back`, async () => {
      // Prepare
      const expected = groupFixture('joinGroup', version, 'response');
      // Act
      const bytes = encodeBody(codec, response);
      const decoded = await kafkajsDecode('joinGroup', version, bytes);
      // Assess
      expect(bytes.toString('hex')).toBe(expected.toString('hex'));
      expect(decoded).toMatchObject({
        errorCode: response.errorCode,
        generationId: response.generationId,
        groupProtocol: response.protocolName,
        leaderId: response.leader,
        memberId: response.memberId,
      });
      expect(decoded.members.map((member: { memberId: string; memberMetadata: Buffer }) => [member.memberId, member.memberMetadata])).toEqual(
        response.members.map((member) => [member.memberId, member.metadata]),
      );
      if (version >= 5) expect(decoded.members[1].groupInstanceId).toBe('instance-2');
    });
  }

  it('rejects a protocol count larger than the bytes left as malformed', () => {
    // Prepare: the protocols array count is the int32 right after protocol_type
    const body = Buffer.from(groupFixture('joinGroup', 1, 'request'));
    const countAt = body.length - (4 + 2 + 18 + 4 + 4 + 2 + 5 + 4);
    body.writeInt32BE(1_000_000, countAt);
    // Act / Assess
    expect(() => decodeWhole(joinGroupCodecs[1]!, body)).toThrow(MalformedRequestError);
  });
});
