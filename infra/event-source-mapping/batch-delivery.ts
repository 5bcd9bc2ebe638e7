import type { Producer } from 'kafkajs';
import { buildKafkaEvent, type KafkaEventTarget, type KafkaEventWire, type KafkaRecordInput } from '../../functions/shared/kafka/index.js';
import { BatchProgress, type CommitOffset } from './batch-progress.js';
import { isInvokeServiceFailure } from './invoke-failure.js';
import { describeError, toFailureMessage } from './kafka-records.js';
import type { MappingLogger } from './logger.js';
import { readBatchResponse } from './partial-batch-response.js';
import { RecordTooOldError, splitByAge } from './record-age.js';
import { backoffMs, invokeRetryDelayMs, mayRetry, type RetryPolicy } from './retry-policy.js';

/**
 * Calls the function with one event. Resolves with the function's result; rejects on a function
 * error, or with an InvokeServiceError (invoke-failure.ts) when the Invoke call itself failed.
 */
export type InvokeFunction = (payload: KafkaEventWire) => Promise<unknown>;

/** The mapping's error handling settings (AWS's, for Kafka event sources in provisioned mode). */
export interface ErrorHandling {
  /** -1 = infinite; else records older than this are not sent (seconds). */
  maximumRecordAgeSeconds: number;
  /** Split a batch in two on a function error (BisectBatchOnFunctionError). */
  bisectBatchOnFunctionError: boolean;
  /** Read `batchItemFailures` from the function's result (FunctionResponseTypes: ReportBatchItemFailures). */
  reportBatchItemFailures: boolean;
}

export interface DeliveryDependencies {
  functionName: string;
  target: KafkaEventTarget;
  invoke: InvokeFunction;
  policy: RetryPolicy;
  errorHandling: ErrorHandling;
  /** Topic failed records go to, with a connected producer; null: they are logged and skipped (as AWS skips them). */
  onFailure: { topic: string; producer: Producer } | null;
  logger: MappingLogger;
  /** Waits between attempts (ms). */
  sleep: (ms: number) => Promise<void>;
  /** The clock: milliseconds since the epoch (record age). */
  now: () => number;
  /** [0, 1): jitter of Invoke API retries. */
  random: () => number;
  /** False once the mapping stops or the batch's partition was revoked: delivery gives up uncommitted. */
  isRunning: () => boolean;
  /** Keeps the consumer's group membership alive between attempts. */
  heartbeat: () => Promise<void>;
  /**
   * Commits what is done so far while records are still being retried (called before each wait,
   * when a partition moved on); absent: only the caller's commit after the batch.
   */
  checkpoint?: (offsets: readonly CommitOffset[]) => void;
}

/**
 * How a batch ended. Every outcome but 'stopped' means each record was dealt with and the batch may
 * be committed past: 'invoked' (the function processed every record), 'sent-to-destination' (some
 * records are on the on-failure topic: retries ran out or they were too old) or 'discarded' (the
 * same, without a destination: logged with their coordinates). 'stopped' must not be committed:
 * the records are redelivered.
 */
export type DeliveryOutcome = 'invoked' | 'sent-to-destination' | 'discarded' | 'stopped';

/** Records still to deliver, with what they went through so far. */
interface Part {
  records: KafkaRecordInput[];
  /** Retries of these records used up (function errors, partial or unreadable responses). */
  retriesDone: number;
  /** Invocations that held these records and failed (reported in the on-failure headers). */
  failedInvocations: number;
}

type Attempt =
  | { kind: 'success' }
  /** The function (or its response) failed these records; `whole`: the batch as a whole failed. */
  | { kind: 'failed'; failed: KafkaRecordInput[]; whole: boolean; error: unknown }
  | { kind: 'invoke-unavailable'; error: unknown };

/**
 * Delivers one batch as AWS's Kafka event-source mapping does, in this order for each part of it:
 *  1. records older than maximumRecordAgeInSeconds go to the on-failure destination (or are
 *     skipped) without being sent;
 *  2. the function is invoked with the rest;
 *  3. a failure of the Invoke call itself (InvokeServiceError) is retried with jittered backoff and
 *     uses up no retry; records may meanwhile age out (step 1);
 *  4. a function error splits the part in two when bisectBatchOnFunctionError is set (no retry used;
 *     the first half is finished before the second, so each partition stays in order), else
 *     uses a retry; a partial batch response retries only the reported records and those after
 *     them in their partition (using a retry); an unreadable response fails the whole part;
 *  5. once retries run out, the failed records go to the on-failure destination (or are skipped).
 * Before each wait, partitions that moved on are checkpointed (deps.checkpoint).
 * Throws only when writing to the destination fails (the caller must not commit; the records are
 * redelivered).
 */
export async function deliverBatch(records: readonly KafkaRecordInput[], deps: DeliveryDependencies): Promise<DeliveryOutcome> {
  const parts: Part[] = [{ records: [...records], retriesDone: 0, failedInvocations: 0 }];
  const progress = new BatchProgress(records);
  /** Before a wait: commit the partitions that moved on (records before a reported failure, finished halves). */
  const checkpoint = () => {
    if (deps.checkpoint === undefined) return;
    const offsets = progress.advance(parts.flatMap((part) => part.records));
    if (offsets.length > 0) deps.checkpoint(offsets);
  };
  let outcome: DeliveryOutcome = 'invoked';
  let invokeFailures = 0;
  while (parts.length > 0) {
    if (!deps.isRunning()) return 'stopped';
    const part = parts[0]!;
    const { expired, fresh } = splitByAge(part.records, deps.errorHandling.maximumRecordAgeSeconds, deps.now());
    if (expired.length > 0) {
      outcome = worse(outcome, await giveUp(expired, new RecordTooOldError(deps.errorHandling.maximumRecordAgeSeconds), part.failedInvocations, deps));
      part.records = fresh;
    }
    if (part.records.length === 0) {
      parts.shift();
      continue;
    }

    const attempt = await invokeOnce(part.records, deps);
    if (attempt.kind === 'success') {
      invokeFailures = 0;
      parts.shift();
      continue;
    }
    if (attempt.kind === 'invoke-unavailable') {
      invokeFailures += 1;
      deps.logger.error('the Invoke call failed; retrying it (no retry attempt used)', { functionName: deps.functionName, failures: invokeFailures, error: describeError(attempt.error), ...coordinates(part.records) });
      checkpoint();
      await deps.sleep(invokeRetryDelayMs(deps.policy, invokeFailures, deps.random));
      await deps.heartbeat();
      continue;
    }
    invokeFailures = 0;
    part.failedInvocations += 1;
    if (!deps.isRunning()) return 'stopped';
    if (attempt.whole && deps.errorHandling.bisectBatchOnFunctionError && part.records.length > 1) {
      const half = Math.ceil(part.records.length / 2);
      deps.logger.error('invoke failed; splitting the batch in two', { functionName: deps.functionName, error: describeError(attempt.error), ...coordinates(part.records) });
      parts.splice(0, 1, { ...part, records: part.records.slice(0, half) }, { ...part, records: part.records.slice(half) });
      continue;
    }
    part.records = attempt.failed;
    if (mayRetry(deps.policy, part.retriesDone)) {
      part.retriesDone += 1;
      deps.logger.error(attempt.whole ? 'invoke failed; retrying the batch' : 'the function reported failed records; retrying them and those after them', { functionName: deps.functionName, retry: part.retriesDone, error: describeError(attempt.error), ...coordinates(part.records) });
      checkpoint();
      await deps.sleep(backoffMs(deps.policy, part.retriesDone));
      await deps.heartbeat();
      continue;
    }
    outcome = worse(outcome, await giveUp(part.records, attempt.error, part.failedInvocations, deps));
    parts.shift();
  }
  return outcome;
}

/** Why a partial batch response sent records back. */
export class ReportedItemFailuresError extends Error {
  override readonly name = 'ReportedItemFailuresError';
}

/** Why a response that could not be read failed the whole batch. */
export class InvalidBatchResponseError extends Error {
  override readonly name = 'InvalidBatchResponseError';
}

async function invokeOnce(records: KafkaRecordInput[], deps: DeliveryDependencies): Promise<Attempt> {
  let response: unknown;
  try {
    response = await deps.invoke(buildKafkaEvent(deps.target, records));
  } catch (error) {
    return isInvokeServiceFailure(error) ? { kind: 'invoke-unavailable', error } : { kind: 'failed', failed: records, whole: true, error };
  }
  if (!deps.errorHandling.reportBatchItemFailures) return { kind: 'success' };
  const verdict = readBatchResponse(response, records);
  if (verdict.kind === 'success') return verdict;
  if (verdict.kind === 'invalid') return { kind: 'failed', failed: records, whole: true, error: new InvalidBatchResponseError(`the batch response cannot be read: ${verdict.reason}`) };
  return { kind: 'failed', failed: verdict.retry, whole: false, error: new ReportedItemFailuresError(`the function reported ${verdict.reported} failed record(s) in batchItemFailures`) };
}

/** Sends failed records to the on-failure destination, or logs and skips them when there is none. */
async function giveUp(records: readonly KafkaRecordInput[], error: unknown, attempts: number, deps: DeliveryDependencies): Promise<DeliveryOutcome> {
  const fields = { functionName: deps.functionName, attempts, error: describeError(error), ...coordinates(records) };
  if (deps.onFailure === null) {
    deps.logger.error('records failed and are not retried; no on-failure destination, they are skipped', fields);
    return 'discarded';
  }
  const failure = { functionName: deps.functionName, attempts, error };
  await deps.onFailure.producer.send({ topic: deps.onFailure.topic, messages: records.map((record) => toFailureMessage(record, failure)) });
  deps.logger.error('records failed and are not retried; they were sent to the on-failure destination', { ...fields, destination: deps.onFailure.topic });
  return 'sent-to-destination';
}

const severity: Record<DeliveryOutcome, number> = { invoked: 0, 'sent-to-destination': 1, discarded: 2, stopped: 3 };

function worse(a: DeliveryOutcome, b: DeliveryOutcome): DeliveryOutcome {
  return severity[b] > severity[a] ? b : a;
}

/** Where records came from, for logs: topic, partitions and offset range (no payloads). */
function coordinates(records: readonly KafkaRecordInput[]): Record<string, unknown> {
  const first = records[0];
  const last = records[records.length - 1];
  return { topic: first?.topic, partitions: [...new Set(records.map((r) => r.partition))], firstOffset: first?.offset, lastOffset: last?.offset, records: records.length };
}
