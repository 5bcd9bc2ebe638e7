import { ApiKey } from '../../protocol/api-keys.js';
import { offsetFetchCodecs, type OffsetFetchRequest, type OffsetFetchResponse } from '../../protocol/requests/offsetFetch/index.js';
import type { ApiHandler } from '../handler.js';

/** Uncommitted partitions (and unknown topics) answer offset -1 with metadata "". */
export const offsetFetchHandler: ApiHandler<OffsetFetchRequest, OffsetFetchResponse> = {
  apiKey: ApiKey.OffsetFetch,
  name: 'OffsetFetch',
  codecs: offsetFetchCodecs,
  handle: (request, context) => {
    const result = context.broker.groups.fetchOffsets(request.groupId, request.topics);
    return {
      throttleTimeMs: 0,
      errorCode: result.errorCode,
      topics: result.topics.map((topic) => ({
        name: topic.name,
        partitions: topic.partitions.map((partition) => ({ ...partition, committedLeaderEpoch: -1 })),
      })),
    };
  },
  errorResponse: (request, errorCode) => ({
    throttleTimeMs: 0,
    errorCode,
    topics: (request.topics ?? []).map((topic) => ({
      name: topic.name,
      partitions: topic.partitionIndexes.map((partitionIndex) => ({ partitionIndex, committedOffset: -1, committedLeaderEpoch: -1, metadata: '', errorCode })),
    })),
  }),
};
