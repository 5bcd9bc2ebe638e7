import { KafkaProtocolError } from '../../errors.js';
import type { ProducerStateTable } from '../../producers/producer-state.js';
import { ApiKey } from '../../protocol/api-keys.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import { splitRecordBatches, validateProducedBatch, type ValidatedBatch } from '../../protocol/record-batch/index.js';
import {
  produceCodecs,
  type ProducePartitionResponse,
  type ProduceRequest,
  type ProduceResponse,
} from '../../protocol/requests/produce/index.js';
import type { Durability } from '../../storage/storage.js';
import { StorageWriteError } from '../../storage/storage-write-error.js';
import type { Topic } from '../../topics/topic-manager.js';
import type { BrokerContext } from '../context.js';
import type { ApiHandler, RequestContext } from '../handler.js';

const durabilityByAcks = new Map<number, Durability>([
  [0, 'memory'],
  [1, 'write'],
  [-1, 'fsync'],
]);

function failed(index: number, errorCode: ErrorCode): ProducePartitionResponse {
  return { index, errorCode, baseOffset: -1, logAppendTimeMs: -1, logStartOffset: -1 };
}

/** Every partition of the request answered with one error code. */
function failAll(request: ProduceRequest, errorCode: ErrorCode): ProduceResponse {
  return {
    topics: request.topics.map((topic) => ({ name: topic.name, partitions: topic.partitions.map((p) => failed(p.index, errorCode)) })),
    throttleTimeMs: 0,
  };
}

/**
 * Validates, deduplicates (idempotent producers) and appends one partition's batches.
 * Between the sequence check and the appends nothing awaits, so concurrent requests for
 * the same partition cannot interleave there; offsets are assigned synchronously by `append`.
 */
async function produceToPartition(
  broker: BrokerContext,
  producers: ProducerStateTable,
  topic: Topic,
  index: number,
  records: Buffer | null,
  durability: Durability,
): Promise<ProducePartitionResponse> {
  const log = topic.partitions[index];
  if (!log) return failed(index, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  // Every append started (and every retried batch's original) is awaited before answering, also
  // when a later batch of the same request is refused: no promise is left unobserved.
  const appends: Promise<unknown>[] = [];
  try {
    if (records === null) throw new KafkaProtocolError(ErrorCode.INVALID_RECORD, 'produce request carries null records');
    const validated: ValidatedBatch[] = [];
    for (const batch of splitRecordBatches(records)) {
      validated.push(await validateProducedBatch(batch, { maxMessageBytes: topic.settings.maxMessageBytes }));
    }
    if (validated.some((batch) => batch.header.isTransactional)) {
      throw new KafkaProtocolError(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, 'transactional batches are not supported by the local MSK');
    }
    let baseOffset = -1;
    for (const { bytes, header, info } of validated) {
      const idempotent = header.producerId >= 0;
      if (idempotent) {
        const verdict = producers.check(topic.name, index, header);
        if (verdict.kind === 'reject') throw new KafkaProtocolError(verdict.errorCode, verdict.message);
        if (verdict.kind === 'duplicate') {
          if (baseOffset < 0) baseOffset = verdict.baseOffset;
          appends.push(verdict.stored);
          continue;
        }
      }
      // `append` assigns offsets synchronously: the batch's base offset is the end offset now.
      const assigned = log.logEndOffset;
      // The request frame is this connection's own buffer and nothing reads it after this handler.
      const stored = log.append(bytes, info, durability, 'take');
      appends.push(stored);
      if (idempotent) producers.recordAppend(topic.name, index, header, assigned, stored);
      if (baseOffset < 0) baseOffset = assigned;
    }
    // Fetches are woken by the log once the data is durable and visible (TopicManager), not here.
    await Promise.all(appends);
    return { index, errorCode: ErrorCode.NONE, baseOffset, logAppendTimeMs: -1, logStartOffset: log.logStartOffset };
  } catch (error) {
    await Promise.allSettled(appends);
    if (error instanceof StorageWriteError) {
      broker.logger.warn('produce failed to store', { topic: topic.name, partition: index, errorCode: ErrorCode.KAFKA_STORAGE_ERROR, reason: error.message });
      return failed(index, ErrorCode.KAFKA_STORAGE_ERROR);
    }
    if (!(error instanceof KafkaProtocolError)) throw error;
    broker.logger.warn('produce rejected', { topic: topic.name, partition: index, errorCode: error.code, reason: error.message });
    return failed(index, error.code);
  }
}

async function resolveTopic(broker: BrokerContext, name: string): Promise<Topic | ErrorCode> {
  try {
    return (await broker.topics.getOrAutoCreate(name)) ?? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
  } catch (error) {
    if (error instanceof KafkaProtocolError) return error.code;
    throw error;
  }
}

async function handleProduce(request: ProduceRequest, context: RequestContext): Promise<ProduceResponse | null> {
  const durability = durabilityByAcks.get(request.acks);
  if (durability === undefined) return failAll(request, ErrorCode.INVALID_REQUIRED_ACKS);
  const respond = (response: ProduceResponse) => (request.acks === 0 ? null : response);
  if (request.transactionalId !== null) return respond(failAll(request, ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED));

  const broker = context.broker;
  const producers = broker.producers;
  const topics = await Promise.all(
    request.topics.map(async (data) => {
      const topic = await resolveTopic(broker, data.name);
      const partitions = await Promise.all(
        data.partitions.map((partition) =>
          typeof topic === 'number'
            ? failed(partition.index, topic)
            : produceToPartition(broker, producers, topic, partition.index, partition.records, durability),
        ),
      );
      return { name: data.name, partitions };
    }),
  );
  return respond({ topics, throttleTimeMs: 0 });
}

/** Produce v3-v7: RecordBatch v2 only; acks 0 / 1 / -1; idempotent producers deduplicated. */
export const produceHandler: ApiHandler<ProduceRequest, ProduceResponse> = {
  apiKey: ApiKey.Produce,
  name: 'Produce',
  codecs: produceCodecs,
  handle: handleProduce,
};

