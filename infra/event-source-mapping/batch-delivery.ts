import type { Producer } from 'kafkajs';
import { buildKafkaEvent, type KafkaEventTarget, type KafkaEventWire, type KafkaRecordInput } from '../../functions/shared/kafka/index.js';
import { describeError, toFailureMessage } from './kafka-records.js';
import type { MappingLogger } from './logger.js';
import { backoffMs, mayRetry, type RetryPolicy } from './retry-policy.js';

/** Calls the function with one event; resolves on success, rejects on a function error. */
export type InvokeFunction = (payload: KafkaEventWire) => Promise<unknown>;

export interface DeliveryDependencies {
  functionName: string;
  target: KafkaEventTarget;
  invoke: InvokeFunction;
  policy: RetryPolicy;
  /** Topic failed batches go to, with a connected producer; null: failed batches are logged and dropped (as AWS drops them). */
  onFailure: { topic: string; producer: Producer } | null;
  logger: MappingLogger;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  /** False once the mapping stops or the batch's partition was revoked: delivery gives up uncommitted. */
  isRunning: () => boolean;
  /** Keeps the consumer's group membership alive between attempts. */
  heartbeat: () => Promise<void>;
}

/**
 * How a batch ended. Every outcome but 'stopped' means the records may be committed past:
 * 'invoked' (the function succeeded), 'sent-to-destination' (retries ran out; the records are
 * on the on-failure topic) or 'discarded' (retries ran out and there is no destination; logged
 * with the records' coordinates). 'stopped' must not be committed: the records are redelivered.
 */
export type DeliveryOutcome = 'invoked' | 'sent-to-destination' | 'discarded' | 'stopped';

/**
 * Invokes the function with the batch, retrying with exponential backoff while the policy allows,
 * then routes it to the on-failure destination. Throws only when writing to the destination fails
 * (the caller must not commit; the records are redelivered).
 */
export async function deliverBatch(records: readonly KafkaRecordInput[], deps: DeliveryDependencies): Promise<DeliveryOutcome> {
  const payload = buildKafkaEvent(deps.target, records);
  const oldestTimestampMs = Math.min(...records.map((record) => (record.timestamp >= 0 ? record.timestamp : Number.POSITIVE_INFINITY)));
  let retriesDone = 0;
  for (;;) {
    if (!deps.isRunning()) return 'stopped';
    try {
      await deps.invoke(payload);
      return 'invoked';
    } catch (error) {
      const where = coordinates(records);
      if (deps.isRunning() && mayRetry(deps.policy, retriesDone, oldestTimestampMs, deps.now())) {
        retriesDone += 1;
        deps.logger.error('invoke failed; retrying the batch', { functionName: deps.functionName, retry: retriesDone, error: describeError(error), ...where });
        await deps.sleep(backoffMs(deps.policy, retriesDone));
        await deps.heartbeat();
        continue;
      }
      if (!deps.isRunning()) return 'stopped';
      return giveUp(records, error, retriesDone + 1, deps);
    }
  }
}

async function giveUp(records: readonly KafkaRecordInput[], error: unknown, attempts: number, deps: DeliveryDependencies): Promise<DeliveryOutcome> {
  const fields = { functionName: deps.functionName, attempts, error: describeError(error), ...coordinates(records) };
  if (deps.onFailure === null) {
    deps.logger.error('invoke failed and retries are exhausted; no on-failure destination, the batch is discarded', fields);
    return 'discarded';
  }
  const failure = { functionName: deps.functionName, attempts, error };
  await deps.onFailure.producer.send({ topic: deps.onFailure.topic, messages: records.map((record) => toFailureMessage(record, failure)) });
  deps.logger.error('invoke failed and retries are exhausted; the batch was sent to the on-failure destination', { ...fields, destination: deps.onFailure.topic });
  return 'sent-to-destination';
}

/** Where a batch came from, for logs: topic, partitions and offset range (no payloads). */
function coordinates(records: readonly KafkaRecordInput[]): Record<string, unknown> {
  const first = records[0];
  const last = records[records.length - 1];
  return { topic: first?.topic, partitions: [...new Set(records.map((r) => r.partition))], firstOffset: first?.offset, lastOffset: last?.offset, records: records.length };
}
