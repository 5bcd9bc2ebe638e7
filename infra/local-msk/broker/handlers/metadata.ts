import { KafkaProtocolError } from '../../errors.js';
import { ApiKey } from '../../protocol/api-keys.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import {
  metadataCodecs,
  type MetadataRequest,
  type MetadataResponse,
  type MetadataTopic,
} from '../../protocol/requests/metadata/index.js';
import type { Topic } from '../../topics/topic-manager.js';
import { isValidTopicName } from '../../topics/topic-name.js';
import type { BrokerContext } from '../context.js';
import type { ApiHandler, RequestContext } from '../handler.js';

/** A topic as seen from this single node: it leads every partition and is the only replica. */
function describe(topic: Topic, nodeId: number): MetadataTopic {
  return {
    errorCode: ErrorCode.NONE,
    name: topic.name,
    isInternal: false,
    partitions: topic.partitions.map((_, index) => ({
      errorCode: ErrorCode.NONE,
      index,
      leaderId: nodeId,
      replicaNodes: [nodeId],
      isrNodes: [nodeId],
      offlineReplicas: [],
    })),
  };
}

function missing(name: string, errorCode: ErrorCode): MetadataTopic {
  return { errorCode, name, isInternal: false, partitions: [] };
}

async function describeRequested(broker: BrokerContext, name: string, allowAutoCreate: boolean): Promise<MetadataTopic> {
  const nodeId = broker.identity.nodeId;
  const existing = broker.topics.get(name);
  if (existing) return describe(existing, nodeId);
  if (!isValidTopicName(name)) return missing(name, ErrorCode.INVALID_TOPIC_EXCEPTION);
  if (!allowAutoCreate) return missing(name, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  try {
    const created = await broker.topics.getOrAutoCreate(name);
    return created ? describe(created, nodeId) : missing(name, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  } catch (error) {
    if (error instanceof KafkaProtocolError) return missing(name, error.code);
    throw error;
  }
}

async function handleMetadata(request: MetadataRequest, context: RequestContext): Promise<MetadataResponse> {
  const broker = context.broker;
  const { nodeId, host, port, clusterId } = broker.identity;
  const topics =
    request.topics === null
      ? broker.topics.list().map((topic) => describe(topic, nodeId))
      : await Promise.all(
          [...new Set(request.topics)].map((name) => describeRequested(broker, name, request.allowAutoTopicCreation)),
        );
  return {
    throttleTimeMs: 0,
    brokers: [{ nodeId, host, port, rack: null }],
    clusterId,
    controllerId: nodeId,
    topics,
  };
}

/**
 * Metadata v0-v6. Requested unknown topics are auto-created when the request allows it
 * (always below v4, allow_auto_topic_creation from v4) and the broker's setting does.
 */
export const metadataHandler: ApiHandler<MetadataRequest, MetadataResponse> = {
  apiKey: ApiKey.Metadata,
  name: 'Metadata',
  codecs: metadataCodecs,
  handle: handleMetadata,
  errorResponse: (request, errorCode) => ({
    throttleTimeMs: 0,
    brokers: [],
    clusterId: null,
    controllerId: -1,
    topics: (request.topics ?? []).map((name) => missing(name, errorCode as ErrorCode)),
  }),
};
