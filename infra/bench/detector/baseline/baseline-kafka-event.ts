/**
 * The Kafka event decoder as it was before the detector's fast paths (commit e08b7e5): regex
 * base64 check, Object.entries header walk, closures per record, unconditional sort. Kept frozen
 * so bench:decode can measure the current parser against it and the differential tests can check
 * that both reach the same decisions. Not used by any function.
 */
import { defaultRecordLimits, type ParseKafkaEventOptions } from '../../../../functions/shared/kafka/event/parse-kafka-event.js';
import type { KafkaEventRecord, KafkaEventSource, KafkaRecordHeader, KafkaTimestampType, ParsedKafkaEvent } from '../../../../functions/shared/kafka/index.js';
import { ValidationError } from '../../../../functions/shared/errors.js';

type Limits = typeof defaultRecordLimits;

const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const topicPattern = /^[A-Za-z0-9._-]{1,249}$/;
const maxPartition = 2 ** 31 - 1;
const maxOffset = 2n ** 63n - 1n;
const eventSources = new Set<KafkaEventSource>(['aws:kafka', 'SelfManagedKafka']);
const timestampTypes = new Set<KafkaTimestampType>(['CREATE_TIME', 'LOG_APPEND_TIME', 'NO_TIMESTAMP_TYPE']);

export function baselineParseKafkaEvent(event: unknown, options: ParseKafkaEventOptions = {}): ParsedKafkaEvent {
  const limits = { ...defaultRecordLimits, ...options };
  if (typeof event !== 'object' || event === null || Array.isArray(event)) throw new ValidationError('Kafka event is not an object');
  const body = event as Record<string, unknown>;
  const eventSource = body.eventSource as KafkaEventSource;
  if (!eventSources.has(eventSource)) throw new ValidationError('Kafka event has no eventSource "aws:kafka" or "SelfManagedKafka"');
  const eventSourceArn = readEventSourceArn(eventSource, body.eventSourceArn);
  const bootstrapServers = readBootstrapServers(body.bootstrapServers);
  const recordsMap = body.records;
  if (typeof recordsMap !== 'object' || recordsMap === null || Array.isArray(recordsMap)) {
    throw new ValidationError('Kafka event has no records map (an object keyed "<topic>-<partition>")');
  }
  const groups = Object.entries(recordsMap as Record<string, unknown>);
  const total = groups.reduce((sum, [, group]) => sum + (Array.isArray(group) ? group.length : 1), 0);
  if (total > limits.maxRecords) throw new ValidationError(`Kafka event holds ${total} records; at most ${limits.maxRecords} are accepted`);
  const records: KafkaEventRecord[] = [];
  for (const [mapKey, group] of groups) {
    const slot = parseRecordsKey(mapKey);
    if (!Array.isArray(group)) {
      records.push({ ok: false, reason: 'the records listed under one key are not an array', raw: group, ...slot });
      continue;
    }
    for (const raw of group) records.push(decodeKafkaRecord(raw, slot, limits));
  }
  return { eventSource, eventSourceArn, bootstrapServers, records: sortRecords(records) };
}

function readEventSourceArn(eventSource: KafkaEventSource, raw: unknown): string | null {
  if (eventSource === 'SelfManagedKafka') return typeof raw === 'string' && raw !== '' ? raw : null;
  if (typeof raw !== 'string' || !raw.startsWith('arn:') || raw.length > 2048) throw new ValidationError('aws:kafka event has no eventSourceArn (the MSK cluster ARN)');
  return raw;
}

function readBootstrapServers(raw: unknown): string[] {
  if (raw === undefined || raw === null) return [];
  const entries = typeof raw === 'string' ? raw.split(',') : Array.isArray(raw) && raw.every((entry) => typeof entry === 'string') ? (raw as string[]) : null;
  if (entries === null || entries.length > 1000) throw new ValidationError('Kafka event bootstrapServers is not a comma-separated host:port list');
  return entries.map((entry) => entry.trim()).filter((entry) => entry !== '');
}

function sortRecords(records: KafkaEventRecord[]): KafkaEventRecord[] {
  return records.sort((a, b) => {
    if (a.topic !== b.topic) {
      if (a.topic === undefined) return 1;
      if (b.topic === undefined) return -1;
      return a.topic < b.topic ? -1 : 1;
    }
    if (a.partition !== b.partition) {
      if (a.partition === undefined) return 1;
      if (b.partition === undefined) return -1;
      return a.partition - b.partition;
    }
    if (a.offset === b.offset) return 0;
    if (a.offset === undefined) return 1;
    if (b.offset === undefined) return -1;
    return compareOffsets(a.offset, b.offset);
  });
}

function decodeKafkaRecord(raw: unknown, slot: { topic: string; partition: number } | null, limits: Limits): KafkaEventRecord {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, reason: 'record is not an object', raw, ...slot };
  const record = raw as Record<string, unknown>;
  const topic = isTopicName(record.topic) ? record.topic : undefined;
  const partition = readPartition(record.partition) ?? undefined;
  const offset = readOffset(record.offset) ?? undefined;
  const known = { topic: topic ?? slot?.topic, partition: partition ?? slot?.partition, offset };
  const malformed = (reason: string): KafkaEventRecord => ({ ok: false, reason, raw, ...withoutUndefined(known) });
  if (topic === undefined) return malformed(record.topic === undefined ? 'record has no topic' : 'record topic is not a valid Kafka topic name');
  if (partition === undefined) return malformed(record.partition === undefined ? 'record has no partition' : 'record partition is not a whole number from 0 to 2^31-1');
  if (offset === undefined) return malformed(record.offset === undefined ? 'record has no offset' : 'record offset is not a whole number from 0 to 2^63-1');
  if (slot && (slot.topic !== topic || slot.partition !== partition)) return malformed(`record says ${topic}-${partition} but is listed under ${slot.topic}-${slot.partition}`);
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

function decodeOptionalBase64(raw: unknown, maxBytes: number): Buffer | null | { error: string } {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'string') return { error: 'is not a base64 string' };
  if (raw.length > Math.ceil(maxBytes / 3) * 4) return { error: `decodes to more than ${maxBytes} bytes` };
  if (!base64Pattern.test(raw)) return { error: 'is not valid base64' };
  const bytes = Buffer.from(raw, 'base64');
  return bytes.length > maxBytes ? { error: `decodes to more than ${maxBytes} bytes` } : bytes;
}

function decodeHeaders(raw: unknown, limits: Limits): KafkaRecordHeader[] | { error: string } {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) return { error: 'headers are not an array' };
  const headers: KafkaRecordHeader[] = [];
  for (const [index, entry] of raw.entries()) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return { error: `header entry ${index} is not an object` };
    for (const [key, bytes] of Object.entries(entry as Record<string, unknown>)) {
      if (headers.length >= limits.maxHeaders) return { error: `more than ${limits.maxHeaders} headers` };
      if (key.length === 0 || key.length > limits.maxHeaderKeyChars) return { error: `header entry ${index} has a key of ${key.length} characters (allowed 1–${limits.maxHeaderKeyChars})` };
      const value = decodeByteArray(bytes, limits.maxHeaderValueBytes);
      if (value !== null && !Buffer.isBuffer(value)) return { error: `header entry ${index}: ${value.error}` };
      headers.push({ key, value });
    }
  }
  return headers;
}

function decodeByteArray(raw: unknown, maxBytes: number): Buffer | null | { error: string } {
  if (raw === null) return null;
  if (!Array.isArray(raw)) return { error: 'value is not an array of bytes' };
  if (raw.length > maxBytes) return { error: `value is longer than ${maxBytes} bytes` };
  for (const byte of raw) {
    if (typeof byte !== 'number' || !Number.isInteger(byte) || byte < 0 || byte > 255) return { error: 'value holds a number outside 0–255' };
  }
  return Buffer.from(raw as number[]);
}

function isTopicName(value: unknown): value is string {
  return typeof value === 'string' && topicPattern.test(value);
}

function readPartition(value: unknown): number | null {
  const number = typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) && number >= 0 && number <= maxPartition ? number : null;
}

function readOffset(value: unknown): string | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? String(value) : null;
  if (typeof value !== 'string' || !/^\d{1,19}$/.test(value)) return null;
  const offset = BigInt(value);
  return offset <= maxOffset ? offset.toString() : null;
}

function readTimestamp(value: unknown): number | null {
  const number = typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) && number >= -1 && number <= 8.64e15 ? number : null;
}

function parseRecordsKey(key: string): { topic: string; partition: number } | null {
  const dash = key.lastIndexOf('-');
  if (dash <= 0) return null;
  const topic = key.slice(0, dash);
  const partition = readPartition(key.slice(dash + 1));
  return isTopicName(topic) && partition !== null ? { topic, partition } : null;
}

function compareOffsets(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}
