import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import type { KafkaRecordInput } from '../../functions/shared/kafka/index.js';
import type { FilterPattern } from './filter/filter-pattern.js';
import { recordPassesFilters } from './filter/match-record.js';

/** Record attribute bit 3: the timestamp was set by the broker (LogAppendTime). */
const logAppendTimeBit = 0x08;

/**
 * A fetched kafkajs message as the poller takes it: the builder's input plus whether the mapping's
 * filter criteria drop it (`filtered`: committed with its batch, never sent to the function).
 * Built as one literal, no spread: this runs once per record.
 */
export function toRecordInput(topic: string, partition: number, message: KafkaMessage, filterPatterns: readonly FilterPattern[] = []): KafkaRecordInput & { filtered: boolean } {
  const record = {
    topic,
    partition,
    offset: Number(message.offset),
    timestamp: Number(message.timestamp),
    timestampType: (message.attributes & logAppendTimeBit) !== 0 ? ('LOG_APPEND_TIME' as const) : ('CREATE_TIME' as const),
    key: message.key,
    value: message.value,
    headers: flattenHeaders(message.headers),
    filtered: false,
  };
  if (filterPatterns.length > 0) record.filtered = !recordPassesFilters(record, filterPatterns);
  return record;
}

/** kafkajs groups a repeated header key into an array; the Lambda event lists each occurrence. */
function flattenHeaders(headers: IHeaders | undefined): Array<{ key: string; value: Buffer | string | null }> {
  const flat: Array<{ key: string; value: Buffer | string | null }> = [];
  if (headers === undefined) return flat;
  for (const key in headers) {
    if (!Object.prototype.hasOwnProperty.call(headers, key)) continue;
    const value = headers[key];
    if (Array.isArray(value)) for (const one of value) flat.push({ key, value: one ?? null });
    else flat.push({ key, value: value ?? null });
  }
  return flat;
}

/** Headers the on-failure destination adds to each record it receives. */
export const failureHeaderNames = Object.freeze({
  sourceTopic: 'x-esm-source-topic',
  sourcePartition: 'x-esm-source-partition',
  sourceOffset: 'x-esm-source-offset',
  functionName: 'x-esm-function',
  attempts: 'x-esm-attempts',
  error: 'x-esm-error',
});

/** Longest error text copied into a header, in characters. */
const maxErrorChars = 1024;

export interface FailureContext {
  functionName: string;
  /** Invocations made, the first one included. */
  attempts: number;
  error: unknown;
}

/**
 * One message per failed record for the on-failure topic: the record's own key, value, timestamp
 * and headers (a header without a value is sent as empty bytes), plus the failure headers above.
 */
export function toFailureMessage(record: KafkaRecordInput, failure: FailureContext): Message {
  const headers: IHeaders = {};
  const append = (key: string, value: Buffer | string) => {
    const existing = headers[key];
    headers[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  };
  for (const header of record.headers ?? []) append(header.key, header.value ?? Buffer.alloc(0));
  append(failureHeaderNames.sourceTopic, record.topic);
  append(failureHeaderNames.sourcePartition, String(record.partition));
  append(failureHeaderNames.sourceOffset, String(record.offset));
  append(failureHeaderNames.functionName, failure.functionName);
  append(failureHeaderNames.attempts, String(failure.attempts));
  append(failureHeaderNames.error, describeError(failure.error));
  return {
    key: record.key ?? null,
    value: record.value,
    ...(record.timestamp >= 0 ? { timestamp: String(record.timestamp) } : {}),
    headers,
  };
}

export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > maxErrorChars ? `${text.slice(0, maxErrorChars)}…` : text;
}
