import type { NewDeadLetter, NewLog } from '../shared/db/index.js';
import { toLogRow } from '../shared/db/log-rows.js';
import { ValidationError } from '../shared/errors.js';
import type { DecodedKafkaRecord, KafkaEventRecord, KafkaRecordHeader } from '../shared/kafka/index.js';
import { ANOMALY_LABELS, LABEL_HEADER, parseLabel, parseLogRecord, type LogRecord } from '../shared/log/index.js';
import { knownLabelOf } from '../shared/log/anomaly-label.js';
import { deadLetterForDecoded, deadLetterForMalformed, type StorableCoordinates } from '../shared/dead-letters/kafka-record-dead-letter.js';
import { detectorDeadLetters } from './dead-letter-mapping.js';
import { recordFingerprint } from './record-fingerprint.js';

/** A record that is a valid log line: ready to score and store. */
export interface ScorableLog {
  readonly kind: 'log';
  readonly coordinates: StorableCoordinates;
  /** What the model scores: its feature set extracts the features from it, batch by batch. */
  readonly record: LogRecord;
  /**
   * The `logs` row; its label is ground truth for evaluation and never reaches the features. A LogRow
   * here (already checked), which storeDetectorBatch stores without checking it again.
   */
  readonly log: NewLog;
  /**
   * Kafka record timestamp, ms since the epoch: the produce time (CREATE_TIME), or the broker's
   * append time on a LOG_APPEND_TIME topic; null when the record has none.
   */
  readonly kafkaTimestamp: number | null;
  /** An x-anomaly-label header was present but not a known label: the log is stored with label null. */
  readonly labelRefused: boolean;
}

/** A record refused for its content or its encoding: stored in dead_letters with the reason. */
export interface DeadLetterRecord {
  readonly kind: 'dead-letter';
  readonly letter: NewDeadLetter;
  readonly kafkaTimestamp: number | null;
}

/**
 * A record that names no storable Kafka coordinates (no offset, no topic, an offset above 2^53−1).
 * Rows are identified by their coordinates, so it cannot be stored idempotently; the batch log
 * line reports it with its reason. Lambda's event-source mappings always send coordinates, so
 * only a hand-built event produces one.
 */
export interface UnaddressableRecord {
  readonly kind: 'unaddressable';
  readonly reason: string;
  readonly topic: string | null;
  readonly partition: number | null;
}

export type MappedRecord = ScorableLog | DeadLetterRecord | UnaddressableRecord;

/** Latest instant a PostgreSQL timestamptz column is given by this pipeline (year 9999). */
const MAX_STORABLE_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * Decides what one event record becomes. Never throws for bad input: anything a record can get
 * wrong (encoding, JSON, schema, hostile keys, unstorable timestamps) makes it a dead letter; only programming errors (not ValidationError) propagate.
 */
export function mapRecord(record: KafkaEventRecord): MappedRecord {
  const coordinates = storableCoordinates(record);
  if ('unaddressable' in coordinates) {
    return { kind: 'unaddressable', reason: coordinates.unaddressable, topic: record.topic ?? null, partition: record.partition ?? null };
  }
  if (!record.ok) return { kind: 'dead-letter', letter: deadLetterForMalformed(record, coordinates, detectorDeadLetters), kafkaTimestamp: null };

  const kafkaTimestamp = record.timestamp >= 0 ? record.timestamp : null;
  try {
    return scorableLog(record, coordinates, kafkaTimestamp);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return { kind: 'dead-letter', letter: deadLetterForDecoded(record, coordinates, error.message, detectorDeadLetters), kafkaTimestamp };
  }
}

function scorableLog(record: DecodedKafkaRecord, coordinates: StorableCoordinates, kafkaTimestamp: number | null): ScorableLog {
  const log = parseLogRecord(record.value);
  const label = readLabel(record.headers);
  // Explicit fields, not `...coordinates`: a spread followed by many new properties is a slow path in V8.
  const row: NewLog = {
    topic: coordinates.topic,
    partition: coordinates.partition,
    offset: coordinates.offset,
    logId: log.id,
    ts: log.ts,
    service: log.service,
    level: log.level,
    message: log.message,
    host: log.host,
    traceId: log.traceId ?? null,
    experimentId: log.experimentId ?? null,
    producerId: log.producerId ?? null,
    label: label.value,
    producedAt: kafkaTimestamp !== null && kafkaTimestamp <= MAX_STORABLE_TIME_MS ? new Date(kafkaTimestamp) : null,
    // Tells a redelivery of this record from a new record Kafka placed at the same coordinates.
    fingerprint: recordFingerprint(record),
  };
  // The repository's own checks, per record: a value it would refuse (e.g. a ts in year 0) makes
  // this one record a dead letter instead of failing the whole batch's insert.
  // The checked row is what gets stored: storeDetectorBatch takes a LogRow as it is, without checking it again.
  const checked = toLogRow(row, 'log record');
  return { kind: 'log', coordinates, record: log, log: checked, kafkaTimestamp, labelRefused: label.refused };
}

interface LabelReading {
  readonly value: string | null;
  readonly refused: boolean;
}

const NO_LABEL: LabelReading = Object.freeze({ value: null, refused: false });
const REFUSED_LABEL: LabelReading = Object.freeze({ value: null, refused: true });
/** One shared reading per known label, so the common case allocates nothing. */
const KNOWN_LABEL_READINGS: ReadonlyMap<string, LabelReading> = new Map(ANOMALY_LABELS.map((label) => [label, Object.freeze({ value: label, refused: false })]));

/** The x-anomaly-label header's value; an unknown, empty or conflicting label is dropped (null), not fatal. */
function readLabel(headers: readonly KafkaRecordHeader[]): LabelReading {
  let first: Buffer | undefined;
  let count = 0;
  for (const header of headers) {
    if (header.key !== LABEL_HEADER || header.value === null) continue;
    first ??= header.value;
    count++;
  }
  if (first === undefined) return NO_LABEL;
  // One header holding a known label exactly (the common case): no decoding, same answer as parseLabel.
  const known = count === 1 ? knownLabelOf(first) : undefined;
  if (known !== undefined) return KNOWN_LABEL_READINGS.get(known) as LabelReading;
  const values = headers.filter((header) => header.key === LABEL_HEADER && header.value !== null).map((header) => header.value as Buffer);
  try {
    return { value: parseLabel(values.length === 1 ? values[0] : values) ?? null, refused: false };
  } catch (error) {
    if (error instanceof ValidationError) return REFUSED_LABEL;
    throw error;
  }
}

function storableCoordinates(record: KafkaEventRecord): StorableCoordinates | { unaddressable: string } {
  if (record.topic === undefined || record.partition === undefined || record.offset === undefined) {
    const missing = [record.topic === undefined && 'topic', record.partition === undefined && 'partition', record.offset === undefined && 'offset'].filter(Boolean);
    const cause = record.ok ? '' : `${record.reason}; `;
    return { unaddressable: `${cause}the record names no ${missing.join(', ')}, so it cannot be stored under its Kafka coordinates` };
  }
  const offset = Number(record.offset);
  if (!Number.isSafeInteger(offset)) {
    return { unaddressable: `offset ${record.offset} is above 2^53-1 and cannot be stored` };
  }
  return { topic: record.topic as string, partition: record.partition as number, offset };
}
