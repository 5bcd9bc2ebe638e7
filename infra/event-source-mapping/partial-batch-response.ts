import type { KafkaRecordInput } from '../../functions/shared/kafka/index.js';
import { slotOf } from './payload-size.js';

/**
 * What a function's result says about the batch it was given, when the mapping has
 * `functionResponseTypes: [ReportBatchItemFailures]` (AWS's partial batch response for Kafka):
 *  - 'success': every record was processed;
 *  - 'partial': `retry` holds the records to invoke again: in each reported partition, the record
 *    at the lowest reported offset and every record after it; the others are done;
 *  - 'invalid': the response cannot be read (`reason` says why); AWS then treats the whole batch
 *    as failed.
 */
export type BatchResponseVerdict =
  | { kind: 'success' }
  | { kind: 'partial'; retry: KafkaRecordInput[]; reported: number }
  | { kind: 'invalid'; reason: string };

/**
 * Reads a function's result against the records it was invoked with. The Kafka shape is
 * `{"batchItemFailures": [{"itemIdentifier": {"partition": "<topic>-<partition>", "offset": <n>}}]}`:
 * `partition` is the event's records key and `offset` a record's offset (a number).
 *
 * A result that is not an object, has no `batchItemFailures`, or has it null or empty means
 * success (as AWS documents for null and empty responses). Anything else that does not name a
 * record of this batch exactly — a non-array list, an entry without itemIdentifier, a string or
 * malformed identifier, a partition or offset the event did not carry — is 'invalid'.
 */
export function readBatchResponse(response: unknown, records: readonly KafkaRecordInput[]): BatchResponseVerdict {
  if (!isObject(response) || !('batchItemFailures' in response)) return { kind: 'success' };
  const failures = response.batchItemFailures;
  if (failures === null || failures === undefined) return { kind: 'success' };
  if (!Array.isArray(failures)) return { kind: 'invalid', reason: 'batchItemFailures is not a list' };
  if (failures.length === 0) return { kind: 'success' };

  const offsetsBySlot = new Map<string, Set<number>>();
  for (const record of records) {
    const slot = slotOf(record);
    let offsets = offsetsBySlot.get(slot);
    if (offsets === undefined) offsetsBySlot.set(slot, (offsets = new Set()));
    offsets.add(record.offset);
  }
  // Per partition, the lowest reported offset: everything from there on is retried.
  const retryFrom = new Map<string, number>();
  for (const [index, failure] of failures.entries()) {
    const identifier = isObject(failure) ? failure.itemIdentifier : undefined;
    if (!isObject(identifier)) return { kind: 'invalid', reason: `batchItemFailures[${index}] has no itemIdentifier object` };
    const { partition, offset } = identifier;
    if (typeof partition !== 'string' || typeof offset !== 'number' || !Number.isSafeInteger(offset)) {
      return { kind: 'invalid', reason: `batchItemFailures[${index}].itemIdentifier must be {"partition": "<topic>-<partition>", "offset": <number>}` };
    }
    if (offsetsBySlot.get(partition)?.has(offset) !== true) {
      return { kind: 'invalid', reason: `batchItemFailures[${index}] names ${partition} offset ${offset}, which this batch did not hold` };
    }
    retryFrom.set(partition, Math.min(offset, retryFrom.get(partition) ?? offset));
  }
  const retry = records.filter((record) => {
    const from = retryFrom.get(slotOf(record));
    return from !== undefined && record.offset >= from;
  });
  return { kind: 'partial', retry, reported: failures.length };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
