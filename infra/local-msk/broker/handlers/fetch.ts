import { performance } from 'node:perf_hooks';
import { ApiKey } from '../../protocol/api-keys.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import {
  fetchCodecs,
  type FetchPartition,
  type FetchPartitionResponse,
  type FetchRequest,
  type FetchResponse,
  type FetchTopicResponse,
} from '../../protocol/requests/fetch/index.js';
import type { PartitionLog } from '../../storage/storage.js';
import type { DataSignal } from '../../topics/data-signal.js';
import type { BrokerContext } from '../context.js';
import type { ApiHandler, RequestContext } from '../handler.js';

interface BuiltResponse {
  response: FetchResponse;
  /** Record bytes in the response. */
  bytes: number;
  /** Some partition carries an error: answer at once, as Kafka does. */
  hasError: boolean;
}

function partitionError(index: number, errorCode: ErrorCode, highWatermark = -1, logStartOffset = -1): FetchPartitionResponse {
  return {
    index,
    errorCode,
    highWatermark,
    lastStableOffset: highWatermark,
    logStartOffset,
    abortedTransactions: [],
    preferredReadReplica: -1,
    records: [],
  };
}

/** Each requested partition's high watermark (-1 if absent), to notice newly visible data cheaply. */
function visibleEnds(broker: BrokerContext, request: FetchRequest): number[] {
  const ends: number[] = [];
  for (const topic of request.topics) {
    for (const partition of topic.partitions) ends.push(broker.topics.partition(topic.name, partition.index)?.highWatermark ?? -1);
  }
  return ends;
}

/** The requested partitions that exist, to wait on their appends. */
function partitionLogs(broker: BrokerContext, request: FetchRequest): PartitionLog[] {
  const logs: PartitionLog[] = [];
  for (const topic of request.topics) {
    for (const partition of topic.partitions) {
      const log = broker.topics.partition(topic.name, partition.index);
      if (log !== undefined) logs.push(log);
    }
  }
  return logs;
}

function sameOffsets(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

/**
 * Reads one pass of the fetch. Only records below the high watermark (durable) are served, and
 * the high watermark is what the response reports (so a consumer's lag and `kcat -e` stop
 * there); an offset between it and the log end is valid and answered with no records, as
 * Kafka does for data not yet committed. Limits: whole batches only; the first batch of the
 * first partition with data is returned even when larger than partition_max_bytes or max_bytes
 * (so a consumer always progresses); after that, batches must fit both limits.
 */
async function buildResponse(broker: BrokerContext, request: FetchRequest): Promise<BuiltResponse> {
  let remaining = request.maxBytes;
  let bytes = 0;
  let hasError = false;
  const readPartition = async (name: string, wanted: FetchPartition): Promise<FetchPartitionResponse> => {
    const log = broker.topics.partition(name, wanted.index);
    if (!log) return partitionError(wanted.index, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    const start = log.logStartOffset;
    const visibleEnd = log.highWatermark;
    const outOfRange = () => partitionError(wanted.index, ErrorCode.OFFSET_OUT_OF_RANGE, visibleEnd, start);
    if (wanted.fetchOffset < start || wanted.fetchOffset > log.logEndOffset) return outOfRange();
    const answer = partitionError(wanted.index, ErrorCode.NONE, visibleEnd, start);
    const limit = Math.max(0, Math.min(wanted.partitionMaxBytes, remaining));
    if (wanted.fetchOffset >= visibleEnd || (bytes > 0 && limit === 0)) return answer;
    let batches: Buffer[];
    try {
      batches = await log.read(wanted.fetchOffset, limit);
    } catch (error) {
      if (error instanceof RangeError) return outOfRange(); // retention moved the start meanwhile
      throw error;
    }
    let size = 0;
    let kept = 0;
    for (const batch of batches) {
      if (size + batch.length > limit && !(bytes === 0 && kept === 0)) break;
      size += batch.length;
      kept++;
    }
    answer.records = kept === batches.length ? batches : batches.slice(0, kept);
    bytes += size;
    remaining -= size;
    return answer;
  };

  const topics: FetchTopicResponse[] = [];
  // Partitions are read one after another: the byte budget depends on what came before.
  for (const topic of request.topics) {
    const partitions: FetchPartitionResponse[] = [];
    for (const wanted of topic.partitions) {
      const answer = await readPartition(topic.name, wanted);
      if (answer.errorCode !== ErrorCode.NONE) hasError = true;
      partitions.push(answer);
    }
    topics.push({ name: topic.name, partitions });
  }
  return { response: { throttleTimeMs: 0, errorCode: ErrorCode.NONE, sessionId: 0, topics }, bytes, hasError };
}

/**
 * Long-polls: answers once min_bytes of records are available across the requested
 * partitions, a partition has an error, or max_wait_ms has passed. Appends to the requested
 * partitions wake it through `topics.dataSignal` once they are durable and visible (the log
 * reports each high-watermark advance), which also counts the bytes each advance brought:
 * the response is read again only once those bytes could reach min_bytes, or at the
 * deadline if anything arrived — never once per append (a consumer asking for 64 KiB would
 * otherwise make the broker re-read its partitions for every small produce).
 * The wait uses the monotonic clock: it is a network timeout, not broker time.
 */
async function handleFetch(request: FetchRequest, context: RequestContext): Promise<FetchResponse> {
  const broker = context.broker;
  if (request.sessionId !== 0) {
    // No fetch sessions are ever created, so a client cannot hold a valid session id.
    return { throttleTimeMs: 0, errorCode: ErrorCode.FETCH_SESSION_ID_NOT_FOUND, sessionId: 0, topics: [] };
  }
  const deadline = performance.now() + Math.max(0, request.maxWaitMs);
  const signal = broker.topics.dataSignal;
  let logs = partitionLogs(broker, request);
  let seen = visibleEnds(broker, request);
  let appendedAtBuild = appendedBytes(signal, logs);
  let built = await buildResponse(broker, request);
  for (;;) {
    if (built.bytes >= request.minBytes || built.hasError) return built.response;
    // Checked before the deadline, so data that arrived during the last wait is never missed.
    const current = visibleEnds(broker, request);
    const moved = !sameOffsets(seen, current);
    const left = deadline - performance.now();
    const arrived = appendedBytes(signal, logs) - appendedAtBuild;
    // Re-read when min_bytes may now be met, when the wait is over and something arrived, or when
    // the partitions changed under the request (created, deleted, truncated: counts do not say).
    if (moved && (built.bytes + arrived >= request.minBytes || left <= 0 || arrived <= 0)) {
      seen = current;
      logs = partitionLogs(broker, request);
      appendedAtBuild = appendedBytes(signal, logs);
      built = await buildResponse(broker, request);
      continue;
    }
    if (left <= 0) return built.response;
    // Nothing awaits between the check above and registering here, so no append slips between.
    await signal.wait(logs, left);
  }
}

/** Record bytes appended so far to the given partitions (a running total; only differences matter). */
function appendedBytes(signal: DataSignal, logs: readonly PartitionLog[]): number {
  let total = 0;
  for (const log of logs) total += signal.appendedBytes(log);
  return total;
}

/** Fetch v4-v11, sessionless (session_id 0), no transactions (aborted_transactions empty). */
export const fetchHandler: ApiHandler<FetchRequest, FetchResponse> = {
  apiKey: ApiKey.Fetch,
  name: 'Fetch',
  codecs: fetchCodecs,
  handle: handleFetch,
};
