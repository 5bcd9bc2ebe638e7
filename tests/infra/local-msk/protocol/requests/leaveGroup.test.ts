import { describe, expect, it } from 'vitest';
import { leaveGroupCodecs, type LeaveGroupResponse } from '../../../../../infra/local-msk/protocol/requests/leaveGroup/index.js';
import { decodeWhole, encodeBody, groupFixture, kafkajsDecode } from './group-codec-helpers.js';

const members: LeaveGroupResponse['members'] = [
  { memberId: 'client-abc', groupInstanceId: null, errorCode: 0 },
  { memberId: 'client-def', groupInstanceId: 'instance-2', errorCode: 25 },
];
const responses: LeaveGroupResponse[] = [
  { throttleTimeMs: 0, errorCode: 0, members: [] },
  { throttleTimeMs: 0, errorCode: 25, members: [] },
  { throttleTimeMs: 0, errorCode: 0, members: [] },
  { throttleTimeMs: 0, errorCode: 0, members },
];

describe('LeaveGroup codecs', () => {
  it('implements versions 0 to 3', () => {
    expect(leaveGroupCodecs.map((codec) => codec.version)).toEqual([0, 1, 2, 3]);
  });

  for (const codec of leaveGroupCodecs) {
    const version = codec.version;

    it(`v${version} decodes the request kafkajs encodes`, () => {
      // Prepare
      const body = groupFixture('leaveGroup', version, 'request');
      // Act
      const { request, unread } = decodeWhole(codec, body);
      // Assess
      expect(unread).toBe(0);
      expect(request).toEqual({
        groupId: 'g1',
        members:
          version >= 3
            ? [{ memberId: 'client-abc', groupInstanceId: null }, { memberId: 'client-def', groupInstanceId: 'instance-2' }]
            : [{ memberId: 'client-abc', groupInstanceId: null }],
      });
    });

    it(`v${version} encodes the response fixture byte for byte, and kafkajs reads it back`, async () => {
      // Prepare
      const expected = groupFixture('leaveGroup', version, 'response');
      // Act
      const bytes = encodeBody(codec, responses[version]!);
      const decoded = await kafkajsDecode('leaveGroup', version, bytes);
      // Assess
      expect(bytes.toString('hex')).toBe(expected.toString('hex'));
      expect(decoded.errorCode).toBe(responses[version]!.errorCode);
      if (version >= 3) expect(decoded.members).toEqual(members);
    });
  }
});
