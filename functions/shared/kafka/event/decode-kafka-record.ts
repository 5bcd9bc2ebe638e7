import { decodeHeaders, type HeaderLimits } from './decode-headers.js';
import type { KafkaEventRecord, KafkaTimestampType } from './kafka-event-types.js';
import { isTopicName, readOffset, readPartition, readTimestamp } from './record-coordinates.js';
import { decodeStrictBase64 } from './strict-base64.js';

export interface RecordLimits extends HeaderLimits {
  maxKeyBytes: number;
  maxValueBytes: number;
}

const timestampTypes = new Set<KafkaTimestampType>(['CREATE_TIME', 'LOG_APPEND_TIME', 'NO_TIMESTAMP_TYPE']);

/**
 * Decodes one record of an event's records map. `slot` is the topic and partition its map key
 * names (null when the key is unparsable). Never throws: a record that cannot be decoded comes
 * back as `{ ok: false }` with the coordinates that could be recovered.
 */
export function decodeKafkaRecord(raw: unknown, slot: { topic: string; partition: number } | null, limits: RecordLimits): KafkaEventRecord {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, reason: 'record is not an object', raw, ...slot };
  }
  const record = raw as Record<string, unknown>;
  const topic = isTopicName(record.topic) ? record.topic : undefined;
  const partition = readPartition(record.partition) ?? undefined;
  const offset = readOffset(record.offset) ?? undefined;
  const known = { topic: topic ?? slot?.topic, partition: partition ?? slot?.partition, offset };
  const malformed = (reason: string): KafkaEventRecord => ({ ok: false, reason, raw, ...withoutUndefined(known) });

  if (topic === undefined) return malformed(record.topic === undefined ? 'record has no topic' : 'record topic is not a valid Kafka topic name');
  if (partition === undefined) return malformed(record.partition === undefined ? 'record has no partition' : 'record partition is not a whole number from 0 to 2^31-1');
  if (offset === undefined) return malformed(record.offset === undefined ? 'record has no offset' : 'record offset is not a whole number from 0 to 2^63-1');
  if (slot && (slot.topic !== topic || slot.partition !== partition)) {
    return malformed(`record says ${topic}-${partition} but is listed under ${slot.topic}-${slot.partition}`);
  }
  const timestamp = readTimestamp(record.timestamp);
  if (timestamp === null) return malformed(record.timestamp === undefined ? 'record has no timestamp' : 'record timestamp is not milliseconds since the epoch');
  if (!timestampTypes.has(record.timestampType as KafkaTimestampType)) return malformed('record timestampType is not CREATE_TIME, LOG_APPEND_TIME or NO_TIMESTAMP_TYPE');

  const key = decodeOptionalBase64(record.key, limits.maxKeyBytes);
  if (key !== null && !Buffer.isBuffer(key)) return malformed(`record key ${key.error}`);
  const value = decodeOptionalBase64(record.value, limits.maxValueBytes);
  if (value !== null && !Buffer.isBuffer(value)) return malformed(`record value ${value.error}`);
  const headers = decodeHeaders(record.headers, limits);
  if (!Array.isArray(headers)) return malformed(`record ${headers.error}`);

  return { ok: true, topic, partition, offset, timestamp, timestampType: record.timestampType as KafkaTimestampType, key, value, headers };
}

/** Absent and null mean "no bytes" (a null key or a tombstone value). */
function decodeOptionalBase64(raw: unknown, maxBytes: number): Buffer | null | { error: string } {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'string') return { error: 'is not a base64 string' };
  return decodeStrictBase64(raw, maxBytes);
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}
