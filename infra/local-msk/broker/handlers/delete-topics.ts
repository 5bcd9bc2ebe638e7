import { KafkaProtocolError } from '../../errors.js';
import { ApiKey } from '../../protocol/api-keys.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import {
  deleteTopicsCodecs,
  type DeletableTopicResult,
  type DeleteTopicsRequest,
  type DeleteTopicsResponse,
} from '../../protocol/requests/deleteTopics/index.js';
import type { ApiHandler } from '../handler.js';
import { serializeAdmin } from './admin-serializer.js';

/**
 * Deletes topics immediately (timeout_ms is irrelevant). One result per distinct name, in
 * request order; unknown names get UNKNOWN_TOPIC_OR_PARTITION.
 */
export const deleteTopicsHandler: ApiHandler<DeleteTopicsRequest, DeleteTopicsResponse> = {
  apiKey: ApiKey.DeleteTopics,
  name: 'DeleteTopics',
  codecs: deleteTopicsCodecs,
  handle: (request, context) => serializeAdmin(context.broker, async () => {
    const broker = context.broker;
    const responses: DeletableTopicResult[] = [];
    for (const name of new Set(request.topicNames)) {
      try {
        await broker.topics.delete(name);
        // A topic recreated under this name starts clean: no committed offsets (as Kafka), no producer state.
        broker.groups.forgetTopic(name);
        broker.producers.forgetTopic(name);
        responses.push({ name, errorCode: ErrorCode.NONE });
      } catch (error) {
        if (error instanceof KafkaProtocolError) {
          responses.push({ name, errorCode: error.code });
          continue;
        }
        broker.logger.error('topic deletion failed', { topic: name, error: (error as Error).message });
        responses.push({ name, errorCode: ErrorCode.UNKNOWN_SERVER_ERROR });
      }
    }
    return { throttleTimeMs: 0, responses };
  }),
  errorResponse: (request, errorCode) => ({
    throttleTimeMs: 0,
    responses: request.topicNames.map((name) => ({ name, errorCode })),
  }),
};
