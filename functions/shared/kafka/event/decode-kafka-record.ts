import { decodeHeaders, type HeaderLimits } from './decode-headers.js';
import type { KafkaEventRecord, KafkaTimestampType } from './kafka-event-types.js';
import { isTopicName, readOffset, readPartition, readTimestamp } from './record-coordinates.js';
import { decodeStrictBase64 } from './strict-base64.js';

export interface RecordLimits extends HeaderLimits {
  maxKeyBytes: number;
  maxValueBytes: number;
}

type RecordSlot = { topic: string; partition: number } | null;

/**
 * Decodes one record of an event's records map. `slot` is the topic and partition its map key
 * names (null when the key is unparsable). Never throws: a record that cannot be decoded comes
 * back as `{ ok: false }` with the coordinates that could be recovered.
 *
 * This runs once per record of every batch: it allocates nothing beyond its result, the key and
 * value Buffers and the headers.
 */
export function decodeKafkaRecord(raw: unknown, slot: RecordSlot, limits: RecordLimits): KafkaEventRecord {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, reason: 'record is not an object', raw, ...slot };
  }
  const record = raw as Record<string, unknown>;
  const rawTopic = record.topic;
  // The slot's topic already passed isTopicName, so the same string needs no second check.
  const topic = slot !== null && rawTopic === slot.topic ? slot.topic : isTopicName(rawTopic) ? rawTopic : undefined;
  const partition = readPartition(record.partition) ?? undefined;
  const offset = readOffset(record.offset) ?? undefined;

  if (topic === undefined) return malformed(raw, slot, topic, partition, offset, rawTopic === undefined ? 'record has no topic' : 'record topic is not a valid Kafka topic name');
  if (partition === undefined) {
    return malformed(raw, slot, topic, partition, offset, record.partition === undefined ? 'record has no partition' : 'record partition is not a whole number from 0 to 2^31-1');
  }
  if (offset === undefined) {
    return malformed(raw, slot, topic, partition, offset, record.offset === undefined ? 'record has no offset' : 'record offset is not a whole number from 0 to 2^63-1');
  }
  if (slot && (slot.topic !== topic || slot.partition !== partition)) {
    return malformed(raw, slot, topic, partition, offset, `record says ${topic}-${partition} but is listed under ${slot.topic}-${slot.partition}`);
  }
  const timestamp = readTimestamp(record.timestamp);
  if (timestamp === null) {
    return malformed(raw, slot, topic, partition, offset, record.timestamp === undefined ? 'record has no timestamp' : 'record timestamp is not milliseconds since the epoch');
  }
  const timestampType = record.timestampType;
  if (timestampType !== 'CREATE_TIME' && timestampType !== 'LOG_APPEND_TIME' && timestampType !== 'NO_TIMESTAMP_TYPE') {
    return malformed(raw, slot, topic, partition, offset, 'record timestampType is not CREATE_TIME, LOG_APPEND_TIME or NO_TIMESTAMP_TYPE');
  }

  const key = decodeOptionalBase64(record.key, limits.maxKeyBytes);
  if (key !== null && !Buffer.isBuffer(key)) return malformed(raw, slot, topic, partition, offset, `record key ${key.error}`);
  const value = decodeOptionalBase64(record.value, limits.maxValueBytes);
  if (value !== null && !Buffer.isBuffer(value)) return malformed(raw, slot, topic, partition, offset, `record value ${value.error}`);
  const headers = decodeHeaders(record.headers, limits);
  if (!Array.isArray(headers)) return malformed(raw, slot, topic, partition, offset, `record ${headers.error}`);

  return { ok: true, topic, partition, offset, timestamp, timestampType: timestampType as KafkaTimestampType, key, value, headers };
}

/**
 * A refused record with the coordinates that are known: the record's own, else its slot's.
 * Keys in the order ok, reason, raw, topic, partition, offset; an unknown coordinate is absent.
 */
function malformed(raw: unknown, slot: RecordSlot, topic: string | undefined, partition: number | undefined, offset: string | undefined, reason: string): KafkaEventRecord {
  const result: { ok: false; reason: string; raw: unknown; topic?: string; partition?: number; offset?: string } = { ok: false, reason, raw };
  const knownTopic = topic ?? slot?.topic;
  const knownPartition = partition ?? slot?.partition;
  if (knownTopic !== undefined) result.topic = knownTopic;
  if (knownPartition !== undefined) result.partition = knownPartition;
  if (offset !== undefined) result.offset = offset;
  return result;
}

/** Absent and null mean "no bytes" (a null key or a tombstone value). */
function decodeOptionalBase64(raw: unknown, maxBytes: number): Buffer | null | { error: string } {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'string') return { error: 'is not a base64 string' };
  return decodeStrictBase64(raw, maxBytes);
}
