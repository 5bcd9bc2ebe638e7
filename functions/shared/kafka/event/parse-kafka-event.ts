import { ValidationError } from '../../errors.js';
import { decodeKafkaRecord, type RecordLimits } from './decode-kafka-record.js';
import type { KafkaEventRecord, KafkaEventSource, ParsedKafkaEvent } from './kafka-event-types.js';
import { compareOffsets, parseRecordsKey } from './record-coordinates.js';

export interface ParseKafkaEventOptions extends Partial<RecordLimits> {
  /** A batch with more records than this is refused as a whole (Lambda sends at most 10,000). */
  maxRecords?: number;
}

export const defaultRecordLimits: RecordLimits & { maxRecords: number } = Object.freeze({
  maxRecords: 10_000,
  maxKeyBytes: 4 * 1024,
  /** A log or metric record above 64 KiB is not one: it is dead-lettered rather than decoded. */
  maxValueBytes: 64 * 1024,
  maxHeaders: 64,
  maxHeaderKeyChars: 256,
  maxHeaderValueBytes: 4 * 1024,
});

const eventSources = new Set<KafkaEventSource>(['aws:kafka', 'SelfManagedKafka']);

/**
 * Parses an MSK (`aws:kafka`) or self-managed Kafka (`SelfManagedKafka`) Lambda event.
 * Throws ValidationError only when the event as a whole is unusable (not an object, unknown
 * source, no records map, too many records). Each record is decoded on its own: one that
 * cannot be decoded is returned as `{ ok: false, reason, raw, ...coordinates }` in its place,
 * so one poison record never fails the batch. Records come sorted by topic, partition and
 * offset ascending.
 */
export function parseKafkaEvent(event: unknown, options: ParseKafkaEventOptions = {}): ParsedKafkaEvent {
  const limits = { ...defaultRecordLimits, ...options };
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new ValidationError('Kafka event is not an object');
  }
  const body = event as Record<string, unknown>;
  const eventSource = body.eventSource as KafkaEventSource;
  if (!eventSources.has(eventSource)) {
    throw new ValidationError('Kafka event has no eventSource "aws:kafka" or "SelfManagedKafka"');
  }
  const eventSourceArn = readEventSourceArn(eventSource, body.eventSourceArn);
  const bootstrapServers = readBootstrapServers(body.bootstrapServers);
  const recordsMap = body.records;
  if (typeof recordsMap !== 'object' || recordsMap === null || Array.isArray(recordsMap)) {
    throw new ValidationError('Kafka event has no records map (an object keyed "<topic>-<partition>")');
  }

  const groups = Object.entries(recordsMap as Record<string, unknown>);
  const total = groups.reduce((sum, [, group]) => sum + (Array.isArray(group) ? group.length : 1), 0);
  if (total > limits.maxRecords) {
    throw new ValidationError(`Kafka event holds ${total} records; at most ${limits.maxRecords} are accepted`);
  }

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
  if (typeof raw !== 'string' || !raw.startsWith('arn:') || raw.length > 2048) {
    throw new ValidationError('aws:kafka event has no eventSourceArn (the MSK cluster ARN)');
  }
  return raw;
}

/** "b-1:9092,b-2:9092" as Lambda sends it; an array is accepted too; absent or null is none. */
function readBootstrapServers(raw: unknown): string[] {
  if (raw === undefined || raw === null) return [];
  const entries = typeof raw === 'string' ? raw.split(',') : Array.isArray(raw) && raw.every((entry) => typeof entry === 'string') ? (raw as string[]) : null;
  if (entries === null || entries.length > 1000) throw new ValidationError('Kafka event bootstrapServers is not a comma-separated host:port list');
  return entries.map((entry) => entry.trim()).filter((entry) => entry !== '');
}

/**
 * Stable sort by topic, partition, offset. A record missing a coordinate sorts after the
 * records that have it, in its arrival order. A batch that is already in order (one partition,
 * or partitions listed in order) is returned as it is after one pass of comparisons.
 */
function sortRecords(records: KafkaEventRecord[]): KafkaEventRecord[] {
  for (let index = 1; index < records.length; index++) {
    if (compareRecords(records[index - 1]!, records[index]!) > 0) return records.sort(compareRecords);
  }
  return records;
}

function compareRecords(a: KafkaEventRecord, b: KafkaEventRecord): number {
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
}
