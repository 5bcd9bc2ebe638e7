import { KafkaProtocolError } from '../../errors.js';
import { ApiKey } from '../../protocol/api-keys.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import { decodeRecordBatch, readBatchHeader } from '../../protocol/record-batch/index.js';
import {
  earliestTimestamp,
  latestTimestamp,
  listOffsetsCodecs,
  type ListOffsetsPartition,
  type ListOffsetsPartitionResponse,
  type ListOffsetsRequest,
  type ListOffsetsResponse,
} from '../../protocol/requests/listOffsets/index.js';
import type { PartitionLog } from '../../storage/storage.js';
import type { BrokerContext } from '../context.js';
import type { ApiHandler, RequestContext } from '../handler.js';

interface Found {
  offset: number;
  timestamp: number;
}

const notFound: Found = { offset: -1, timestamp: -1 };

/**
 * The first offset whose record timestamp is >= `timestamp`: the log finds the first batch
 * whose maxTimestamp reaches it, then that batch's records give the exact offset. If no
 * record of that batch qualifies (its maxTimestamp disagreed with its records), the offset
 * after the batch is answered when it exists.
 */
async function offsetForTimestamp(log: PartitionLog, timestamp: number): Promise<Found> {
  const batch = await log.findBatchByTimestamp(timestamp);
  if (!batch) return notFound;
  const { header, records } = await decodeRecordBatch(batch);
  for (const record of records) {
    if (record.timestamp >= timestamp && record.offset >= log.logStartOffset) {
      return { offset: record.offset, timestamp: record.timestamp };
    }
  }
  const next = header.baseOffset + header.lastOffsetDelta + 1;
  if (next >= log.highWatermark) return notFound;
  const [following] = await log.read(next, 1);
  return following ? { offset: next, timestamp: readBatchHeader(following).firstTimestamp } : notFound;
}

async function lookup(broker: BrokerContext, topic: string, wanted: ListOffsetsPartition): Promise<ListOffsetsPartitionResponse> {
  const answer = (errorCode: ErrorCode, found: Found): ListOffsetsPartitionResponse => ({
    index: wanted.index,
    errorCode,
    timestamp: found.timestamp,
    offset: found.offset,
    oldStyleOffsets: found.offset >= 0 && wanted.maxNumOffsets > 0 ? [found.offset] : [],
  });
  const log = broker.topics.partition(topic, wanted.index);
  if (!log) return answer(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, notFound);
  // Latest is the high watermark: the end of the durable, visible records (Kafka's answer to consumers).
  if (wanted.timestamp === latestTimestamp) return answer(ErrorCode.NONE, { offset: log.highWatermark, timestamp: -1 });
  if (wanted.timestamp === earliestTimestamp) return answer(ErrorCode.NONE, { offset: log.logStartOffset, timestamp: -1 });
  try {
    return answer(ErrorCode.NONE, await offsetForTimestamp(log, wanted.timestamp));
  } catch (error) {
    if (!(error instanceof KafkaProtocolError)) throw error;
    broker.logger.error('stored batch cannot be decoded', { topic, partition: wanted.index, reason: error.message });
    return answer(ErrorCode.CORRUPT_MESSAGE, notFound);
  }
}

async function handleListOffsets(request: ListOffsetsRequest, context: RequestContext): Promise<ListOffsetsResponse> {
  const topics = await Promise.all(
    request.topics.map(async (topic) => ({
      name: topic.name,
      partitions: await Promise.all(topic.partitions.map((partition) => lookup(context.broker, topic.name, partition))),
    })),
  );
  return { throttleTimeMs: 0, topics };
}

/** ListOffsets v0-v3: earliest (-2), latest (-1, the high watermark) or by timestamp (visible records only). Never creates topics. */
export const listOffsetsHandler: ApiHandler<ListOffsetsRequest, ListOffsetsResponse> = {
  apiKey: ApiKey.ListOffsets,
  name: 'ListOffsets',
  codecs: listOffsetsCodecs,
  handle: handleListOffsets,
  errorResponse: (request, errorCode) => ({
    throttleTimeMs: 0,
    topics: request.topics.map((topic) => ({
      name: topic.name,
      partitions: topic.partitions.map((partition) => ({ index: partition.index, errorCode, timestamp: -1, offset: -1, oldStyleOffsets: [] })),
    })),
  }),
};
