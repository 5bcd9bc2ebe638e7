import { KafkaProtocolError } from '../../errors.js';
import { ApiKey } from '../../protocol/api-keys.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import {
  createTopicsCodecs,
  type CreatableTopic,
  type CreatableTopicResult,
  type CreateTopicsRequest,
  type CreateTopicsResponse,
} from '../../protocol/requests/createTopics/index.js';
import { validateTopicName } from '../../topics/topic-name.js';
import type { BrokerContext } from '../context.js';
import type { ApiHandler } from '../handler.js';
import { serializeAdmin } from './admin-serializer.js';
import { duplicateTopicMessage, perDistinctTopic } from './distinct-topics.js';
import { checkReplicaList, checkReplicationFactor } from './single-node-placement.js';

/**
 * Creates topics immediately (timeout_ms is irrelevant). One result per distinct name,
 * in request order; a name given twice gets INVALID_REQUEST and is not created, as Kafka does.
 */
export const createTopicsHandler: ApiHandler<CreateTopicsRequest, CreateTopicsResponse> = {
  apiKey: ApiKey.CreateTopics,
  name: 'CreateTopics',
  codecs: createTopicsCodecs,
  handle: (request, context) => serializeAdmin(context.broker, async () => {
    const results = await perDistinctTopic(
      request.topics,
      (name) => ({ name, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: duplicateTopicMessage(name) }),
      (topic) => createOne(topic, request.validateOnly, context.broker),
    );
    return { throttleTimeMs: 0, topics: results };
  }),
  errorResponse: (request, errorCode) => ({
    throttleTimeMs: 0,
    topics: request.topics.map((topic) => ({ name: topic.name, errorCode, errorMessage: null })),
  }),
};

async function createOne(topic: CreatableTopic, validateOnly: boolean, broker: BrokerContext): Promise<CreatableTopicResult> {
  try {
    validateTopicName(topic.name);
    if (broker.topics.get(topic.name)) {
      throw new KafkaProtocolError(ErrorCode.TOPIC_ALREADY_EXISTS, `topic ${topic.name} already exists`);
    }
    checkReplicationFactor(topic.replicationFactor);
    const partitions = partitionCount(topic, broker.identity.nodeId);
    await broker.topics.create(topic.name, partitions, configMap(topic), validateOnly);
    return { name: topic.name, errorCode: ErrorCode.NONE, errorMessage: null };
  } catch (error) {
    if (error instanceof KafkaProtocolError) return { name: topic.name, errorCode: error.code, errorMessage: error.message };
    broker.logger.error('topic creation failed', { topic: topic.name, error: (error as Error).message });
    return { name: topic.name, errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, errorMessage: 'topic creation failed on the broker (see its log)' };
  }
}

/**
 * The partition count to create: num_partitions (-1 = broker default), or the number of
 * manual assignments, which must then cover partitions 0..n-1 once each, each on this node.
 */
function partitionCount(topic: CreatableTopic, nodeId: number): number {
  const assignments = topic.assignments;
  if (assignments.length === 0) return topic.numPartitions;
  if (topic.numPartitions !== -1 && topic.numPartitions !== assignments.length) {
    throw new KafkaProtocolError(
      ErrorCode.INVALID_REPLICA_ASSIGNMENT,
      `num_partitions is ${topic.numPartitions} but ${assignments.length} partition assignments were given`,
    );
  }
  const seen = new Set<number>();
  for (const assignment of assignments) {
    const index = assignment.partitionIndex;
    if (!Number.isInteger(index) || index < 0 || index >= assignments.length || seen.has(index)) {
      throw new KafkaProtocolError(
        ErrorCode.INVALID_REPLICA_ASSIGNMENT,
        `partition assignments must cover partitions 0..${assignments.length - 1} exactly once; got partition ${index}`,
      );
    }
    seen.add(index);
    checkReplicaList(index, assignment.brokerIds, nodeId);
  }
  return assignments.length;
}

/** The configs as a map; null values and repeated keys are INVALID_CONFIG. */
function configMap(topic: CreatableTopic): Record<string, string> {
  const configs: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const { name, value } of topic.configs) {
    if (value === null) throw new KafkaProtocolError(ErrorCode.INVALID_CONFIG, `config ${JSON.stringify(name)} has a null value, which is not supported`);
    if (Object.hasOwn(configs, name)) throw new KafkaProtocolError(ErrorCode.INVALID_CONFIG, `config ${JSON.stringify(name)} is given more than once`);
    configs[name] = value;
  }
  return configs;
}
