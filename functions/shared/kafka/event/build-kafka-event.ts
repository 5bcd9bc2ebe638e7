import type { KafkaEventSource, KafkaTimestampType } from './kafka-event-types.js';

/** One record as it arrives in a Lambda Kafka event (the wire shape parseKafkaEvent reads). */
export interface KafkaEventWireRecord {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  timestampType: KafkaTimestampType;
  /** base64; absent for a null key. */
  key?: string;
  /** base64; absent for a null value. */
  value?: string;
  /** One object per header; a header without a value has null. */
  headers: Array<Record<string, number[] | null>>;
}

export interface KafkaEventWire {
  eventSource: KafkaEventSource;
  /** Present for aws:kafka only. */
  eventSourceArn?: string;
  bootstrapServers: string;
  /** Keyed "<topic>-<partition>". */
  records: Record<string, KafkaEventWireRecord[]>;
}

export interface KafkaRecordInput {
  topic: string;
  partition: number;
  offset: number;
  /** Milliseconds since the epoch. */
  timestamp: number;
  timestampType?: KafkaTimestampType;
  key?: Buffer | string | null;
  value: Buffer | string | null;
  /** Header keys may repeat; a string value is sent as UTF-8. */
  headers?: ReadonlyArray<{ key: string; value: Buffer | string | null }>;
}

export interface KafkaEventTarget {
  eventSource: KafkaEventSource;
  /** Required for aws:kafka. */
  eventSourceArn?: string;
  bootstrapServers: readonly string[];
}

/**
 * Encodes Kafka records as Lambda delivers them to a function: grouped under
 * "<topic>-<partition>" in the order given, keys and values base64, headers as byte arrays.
 * The local event-source mapping and the tests build their events with this.
 */
export function buildKafkaEvent(target: KafkaEventTarget, records: readonly KafkaRecordInput[]): KafkaEventWire {
  if (target.eventSource === 'aws:kafka' && !target.eventSourceArn) throw new TypeError('an aws:kafka event needs the cluster ARN as eventSourceArn');
  const grouped: Record<string, KafkaEventWireRecord[]> = {};
  for (const record of records) {
    const slot = `${record.topic}-${record.partition}`;
    (grouped[slot] ??= []).push(encodeRecord(record));
  }
  return {
    eventSource: target.eventSource,
    ...(target.eventSource === 'aws:kafka' ? { eventSourceArn: target.eventSourceArn! } : {}),
    bootstrapServers: target.bootstrapServers.join(','),
    records: grouped,
  };
}

/** Built field by field (no spreads): this runs once per record on the mapping's hot path. */
function encodeRecord(record: KafkaRecordInput): KafkaEventWireRecord {
  const key = toBytes(record.key ?? null);
  const value = toBytes(record.value);
  const wire: KafkaEventWireRecord = {
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    timestamp: record.timestamp,
    timestampType: record.timestampType ?? 'CREATE_TIME',
    headers: [],
  };
  if (key !== null) wire.key = key.toString('base64');
  if (value !== null) wire.value = value.toString('base64');
  for (const header of record.headers ?? []) {
    const bytes = toBytes(header.value);
    const entry: Record<string, number[] | null> = {};
    entry[header.key] = bytes === null ? null : Array.from(bytes);
    wire.headers.push(entry);
  }
  return wire;
}

function toBytes(value: Buffer | string | null): Buffer | null {
  return value === null ? null : typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
}
