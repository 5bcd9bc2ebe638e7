import type { NewDeadLetter, NewPerformanceMetric } from '../../shared/db/index.js';
import { ValidationError } from '../../shared/errors.js';
import type { DecodedKafkaRecord, KafkaEventRecord } from '../../shared/kafka/index.js';
import { parseMetricRecord, type MetricRecord } from '../../shared/metrics/index.js';
import { deadLetterForDecoded, deadLetterForMalformed, type StorableCoordinates } from '../../shared/dead-letters/kafka-record-dead-letter.js';
import { aggregatorDeadLetters } from './dead-letter-record.js';
import { isStorableTime, metricRows, unstorableReason } from './metric-rows.js';

/** A record that is neither stored nor dead-lettered, with why. Never holds payload bytes. */
export interface SkippedRecord {
  readonly reason: string;
  readonly topic?: string;
  readonly partition?: number;
  readonly offset?: string;
}

/** What one batch of metrics-topic records turns into. Pure data: nothing is written yet. */
export interface DecodedMetricBatch {
  /** Rows of every valid metric record, each identified by its record's Kafka coordinates. */
  readonly metrics: readonly NewPerformanceMetric[];
  /** Valid metric records (each contributes one row per metric). */
  readonly acceptedRecords: number;
  /** One per record that failed decoding or validation. */
  readonly deadLetters: readonly NewDeadLetter[];
  /**
   * Records that cannot be stored anywhere: their topic, partition or offset is unknown (the
   * dead_letters table needs them) or the offset is above 2^53, or they repeat an earlier record
   * of the same batch (same coordinates).
   */
  readonly skipped: readonly SkippedRecord[];
  /** Newest Kafka timestamp (ms) among the batch's decoded records; null when none carries one. */
  readonly newestTimestampMs: number | null;
  /** experimentId of the newest valid metric record that names one; null when none does. */
  readonly newestExperimentId: string | null;
}

/**
 * Sorts a parsed batch into metric rows, dead letters and skipped records. Deterministic: the same
 * records give the same result, which is what makes a redelivered batch write the same rows.
 * Never throws for bad records; only programming errors escape.
 */
export function decodeMetricBatch(records: readonly KafkaEventRecord[]): DecodedMetricBatch {
  const metrics: NewPerformanceMetric[] = [];
  const deadLetters: NewDeadLetter[] = [];
  const skipped: SkippedRecord[] = [];
  const seen = new Set<string>();
  let acceptedRecords = 0;
  let newestTimestampMs: number | null = null;
  let newestExperiment: { at: number; id: string } | null = null;

  for (const record of records) {
    const at = storableCoordinates(record);
    if ('reason' in at) {
      skipped.push(at);
      continue;
    }
    const key = `${at.partition}:${at.offset}:${at.topic}`;
    if (seen.has(key)) {
      skipped.push({ reason: 'the record repeats an earlier record of the batch', topic: at.topic, partition: at.partition, offset: String(at.offset) });
      continue;
    }
    seen.add(key);
    if (!record.ok) {
      deadLetters.push(deadLetterForMalformed(record, at, aggregatorDeadLetters));
      continue;
    }
    // -1 is Kafka's "no timestamp".
    const time = record.timestamp >= 0 && isStorableTime(record.timestamp) ? record.timestamp : null;
    if (time !== null && (newestTimestampMs === null || time > newestTimestampMs)) newestTimestampMs = time;

    const decoded = decodeMetricRecord(record);
    if (typeof decoded === 'string') {
      deadLetters.push(deadLetterForDecoded(record, at, decoded, aggregatorDeadLetters));
      continue;
    }
    acceptedRecords += 1;
    metrics.push(...metricRows(decoded, at));
    // Ties go to the later record in batch order (topic, partition, offset): deterministic.
    if (decoded.experimentId !== null && (newestExperiment === null || (time ?? -1) >= newestExperiment.at)) {
      newestExperiment = { at: time ?? -1, id: decoded.experimentId };
    }
  }
  return { metrics, acceptedRecords, deadLetters, skipped, newestTimestampMs, newestExperimentId: newestExperiment?.id ?? null };
}

/** The metric record a Kafka record carries, or why it carries none that can be stored. */
function decodeMetricRecord(record: DecodedKafkaRecord): MetricRecord | string {
  if (record.value === null) return 'record has no value (a tombstone); a metric record was expected';
  let parsed: MetricRecord;
  try {
    parsed = parseMetricRecord(record.value);
  } catch (error) {
    if (error instanceof ValidationError) return error.message;
    throw error;
  }
  return unstorableReason(parsed) ?? parsed;
}

function storableCoordinates(record: KafkaEventRecord): StorableCoordinates | SkippedRecord {
  const { topic, partition, offset } = record;
  const known = {
    ...(topic === undefined ? {} : { topic }),
    ...(partition === undefined ? {} : { partition }),
    ...(offset === undefined ? {} : { offset }),
  };
  if (topic === undefined || partition === undefined || offset === undefined) {
    const why = record.ok ? 'its coordinates are incomplete' : record.reason;
    return { reason: `cannot be dead-lettered without a topic, partition and offset: ${why}`, ...known };
  }
  const number = Number(offset);
  if (!Number.isSafeInteger(number)) return { reason: 'the offset is above 2^53 and cannot be stored', ...known };
  return { topic, partition, offset: number };
}
