import { describe, expect, it } from 'vitest';
import { syncGroupCodecs, type SyncGroupResponse } from '../../../../../infra/local-msk/protocol/requests/syncGroup/index.js';
import { decodeWhole, encodeBody, groupFixture, kafkajsDecode } from './group-codec-helpers.js';

const responses: SyncGroupResponse[] = [
  { throttleTimeMs: 0, errorCode: 0, assignment: Buffer.from([1, 2]) },
  { throttleTimeMs: 0, errorCode: 0, assignment: Buffer.from([1, 2]) },
  { throttleTimeMs: 0, errorCode: 27, assignment: Buffer.alloc(0) },
  { throttleTimeMs: 0, errorCode: 0, assignment: Buffer.from([1, 2]) },
];

describe('SyncGroup codecs', () => {
  it('implements versions 0 to 3', () => {
    expect(syncGroupCodecs.map((codec) => codec.version)).toEqual([0, 1, 2, 3]);
  });

  for (const codec of syncGroupCodecs) {
    const version = codec.version;

    it(`v${version} decodes the request kafkajs encodes`, () => {
      // Prepare
      const body = groupFixture('syncGroup', version, 'request');
      // Act
      const { request, unread } = decodeWhole(codec, body);
      // Assess
      expect(unread).toBe(0);
      expect(request).toEqual({
        groupId: 'g1',
        generationId: 3,
        memberId: 'client-abc',
        groupInstanceId: version >= 3 ? 'instance-1' : null,
        assignments: [
          { memberId: 'client-abc', assignment: Buffer.from([1, 2]) },
          { memberId: 'client-def', assignment: Buffer.from([3]) },
        ],
      });
    });

    it(`v${version} encodes the response fixture byte for byte, and kafkajs reads it back`, async () => {
      // Prepare
      const expected = groupFixture('syncGroup', version, 'response');
      // Act
      const bytes = encodeBody(codec, responses[version]!);
      const decoded = await kafkajsDecode('syncGroup', version, bytes);
      // Assess
      expect(bytes.toString('hex')).toBe(expected.toString('hex'));
      expect(decoded.errorCode).toBe(responses[version]!.errorCode);
      expect(decoded.memberAssignment).toEqual(responses[version]!.assignment);
    });
  }
});
