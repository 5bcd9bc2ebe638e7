import { ApiKey } from '../../protocol/api-keys.js';
import { offsetCommitCodecs, type OffsetCommitRequest, type OffsetCommitResponse } from '../../protocol/requests/offsetCommit/index.js';
import type { ApiHandler } from '../handler.js';

/**
 * Commits are answered once persisted. retention_time_ms (v2-v4) and committed_leader_epoch
 * (v6+) are accepted and ignored: offsets are kept until their topic is deleted.
 */
export const offsetCommitHandler: ApiHandler<OffsetCommitRequest, OffsetCommitResponse> = {
  apiKey: ApiKey.OffsetCommit,
  name: 'OffsetCommit',
  codecs: offsetCommitCodecs,
  handle: async (request, context) => {
    const { topics, groups } = context.broker;
    const result = await groups.commitOffsets(
      {
        groupId: request.groupId,
        generationId: request.generationId,
        memberId: request.memberId,
        groupInstanceId: request.groupInstanceId,
        topics: request.topics.map((topic) => ({
          name: topic.name,
          partitions: topic.partitions.map((partition) => ({
            partitionIndex: partition.partitionIndex,
            committedOffset: partition.committedOffset,
            commitTimestamp: partition.commitTimestamp,
            committedMetadata: partition.committedMetadata,
          })),
        })),
      },
      (topic, partition) => topics.partition(topic, partition) !== undefined,
    );
    return { throttleTimeMs: 0, topics: result.topics };
  },
  errorResponse: (request, errorCode) => ({
    throttleTimeMs: 0,
    topics: request.topics.map((topic) => ({
      name: topic.name,
      partitions: topic.partitions.map((partition) => ({ partitionIndex: partition.partitionIndex, errorCode })),
    })),
  }),
};
