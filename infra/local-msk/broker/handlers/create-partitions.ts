import { KafkaProtocolError } from '../../errors.js';
import { ApiKey } from '../../protocol/api-keys.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import {
  createPartitionsCodecs,
  type CreatePartitionsRequest,
  type CreatePartitionsResponse,
  type CreatePartitionsTopic,
  type CreatePartitionsTopicResult,
} from '../../protocol/requests/createPartitions/index.js';
import type { BrokerContext } from '../context.js';
import type { ApiHandler } from '../handler.js';
import { serializeAdmin } from './admin-serializer.js';
import { duplicateTopicMessage, perDistinctTopic } from './distinct-topics.js';
import { checkReplicaList } from './single-node-placement.js';

/**
 * Grows topics to a larger partition count, immediately. One result per distinct name, in
 * request order; a name given twice gets INVALID_REQUEST and is not changed, as Kafka does.
 */
export const createPartitionsHandler: ApiHandler<CreatePartitionsRequest, CreatePartitionsResponse> = {
  apiKey: ApiKey.CreatePartitions,
  name: 'CreatePartitions',
  codecs: createPartitionsCodecs,
  handle: (request, context) => serializeAdmin(context.broker, async () => {
    const results = await perDistinctTopic(
      request.topics,
      (name) => ({ name, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: duplicateTopicMessage(name) }),
      (topic) => growOne(topic, request.validateOnly, context.broker),
    );
    return { throttleTimeMs: 0, results };
  }),
  errorResponse: (request, errorCode) => ({
    throttleTimeMs: 0,
    results: request.topics.map((topic) => ({ name: topic.name, errorCode, errorMessage: null })),
  }),
};

async function growOne(topic: CreatePartitionsTopic, validateOnly: boolean, broker: BrokerContext): Promise<CreatePartitionsTopicResult> {
  try {
    const existing = broker.topics.get(topic.name);
    if (!existing) throw new KafkaProtocolError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic ${topic.name} does not exist`);
    const current = existing.partitions.length;
    const increment = topic.count - current;
    // A count that does not grow the topic is reported by addPartitions (INVALID_PARTITIONS).
    if (topic.assignments !== null && increment > 0) {
      if (topic.assignments.length !== increment) {
        throw new KafkaProtocolError(
          ErrorCode.INVALID_REPLICA_ASSIGNMENT,
          `increasing the number of partitions by ${increment} but ${topic.assignments.length} assignments were given`,
        );
      }
      topic.assignments.forEach((assignment, offset) => checkReplicaList(current + offset, assignment.brokerIds, broker.identity.nodeId));
    }
    await broker.topics.addPartitions(topic.name, topic.count, validateOnly);
    return { name: topic.name, errorCode: ErrorCode.NONE, errorMessage: null };
  } catch (error) {
    if (error instanceof KafkaProtocolError) return { name: topic.name, errorCode: error.code, errorMessage: error.message };
    broker.logger.error('adding partitions failed', { topic: topic.name, error: (error as Error).message });
    return { name: topic.name, errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, errorMessage: 'adding partitions failed on the broker (see its log)' };
  }
}
