/**
 * The detector's per-record mapping as it was before the fast paths (commit e08b7e5): TextDecoder,
 * JSON.parse, the forbidden-key walk and zod for every record, filter/map for the label header,
 * an array for missing coordinates. Kept for bench:decode and the differential tests; what is not
 * decoding (the row and its checks) follows map-record.ts, so both paths do that work alike.
 */
import { detectorDeadLetters } from '../../../../functions/detector/dead-letter-mapping.js';
import type { MappedRecord, ScorableLog } from '../../../../functions/detector/map-record.js';
import { recordFingerprint } from '../../../../functions/detector/record-fingerprint.js';
import type { NewLog } from '../../../../functions/shared/db/index.js';
import { toLogRow } from '../../../../functions/shared/db/log-rows.js';
import { deadLetterForDecoded, deadLetterForMalformed, type StorableCoordinates } from '../../../../functions/shared/dead-letters/kafka-record-dead-letter.js';
import { ValidationError } from '../../../../functions/shared/errors.js';
import type { DecodedKafkaRecord, KafkaEventRecord, KafkaRecordHeader } from '../../../../functions/shared/kafka/index.js';
import { LABEL_HEADER, MAX_RECORD_BYTES, parseLabel, type LogRecord } from '../../../../functions/shared/log/index.js';
import { validateLogRecordReference } from '../../../../functions/shared/log/parse-log-record.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const MAX_STORABLE_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export function baselineParseLogRecord(bytes: Buffer | Uint8Array | null | undefined): LogRecord {
  if (bytes === null || bytes === undefined || bytes.length === 0) throw new ValidationError('log record is empty: the Kafka record has no value');
  if (bytes.length > MAX_RECORD_BYTES) throw new ValidationError(`log record is oversize: ${bytes.length} bytes, limit ${MAX_RECORD_BYTES}`);
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch (cause) {
    throw new ValidationError('log record is not valid UTF-8', { cause });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new ValidationError(`log record is not JSON: ${(cause as Error).message}`, { cause });
  }
  return validateLogRecordReference(value);
}

export function baselineMapRecord(record: KafkaEventRecord): MappedRecord {
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
  const log = baselineParseLogRecord(record.value);
  const label = readLabel(record.headers);
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
    // Not decoding: the record's fingerprint, taken as map-record.ts takes it, so both paths do the same row work.
    fingerprint: recordFingerprint(record),
  };
  // Not decoding: kept as map-record.ts does it today, so both paths do the same row work.
  const checked = toLogRow(row, 'log record');
  return { kind: 'log', coordinates, record: log, log: checked, kafkaTimestamp, labelRefused: label.refused };
}

function readLabel(headers: readonly KafkaRecordHeader[]): { value: string | null; refused: boolean } {
  const values = headers.filter((header) => header.key === LABEL_HEADER && header.value !== null).map((header) => header.value as Buffer);
  if (values.length === 0) return { value: null, refused: false };
  try {
    return { value: parseLabel(values.length === 1 ? values[0] : values) ?? null, refused: false };
  } catch (error) {
    if (error instanceof ValidationError) return { value: null, refused: true };
    throw error;
  }
}

function storableCoordinates(record: KafkaEventRecord): StorableCoordinates | { unaddressable: string } {
  const missing = [record.topic === undefined && 'topic', record.partition === undefined && 'partition', record.offset === undefined && 'offset'].filter(Boolean);
  if (missing.length > 0) {
    const cause = record.ok ? '' : `${record.reason}; `;
    return { unaddressable: `${cause}the record names no ${missing.join(', ')}, so it cannot be stored under its Kafka coordinates` };
  }
  const offset = Number(record.offset);
  if (!Number.isSafeInteger(offset)) return { unaddressable: `offset ${record.offset} is above 2^53-1 and cannot be stored` };
  return { topic: record.topic as string, partition: record.partition as number, offset };
}
