import { OFFSET_REUSED_REASON, type LogRow, type NewDeadLetter, type NewLog } from '../shared/db/index.js';
import { deadLetterForDecoded } from '../shared/dead-letters/kafka-record-dead-letter.js';
import type { DecodedKafkaRecord } from '../shared/kafka/index.js';
import { detectorDeadLetters } from './dead-letter-mapping.js';
import type { ScorableLog } from './map-record.js';

/**
 * For storeDetectorBatch's `offsetReused`: the dead letter of a log whose coordinates already hold
 * a different record, holding the Kafka record whole (key, value and header bytes, as every
 * detector dead letter does). `sources[i]` is the record `logs[i]` was mapped from; the log rows
 * storeDetectorBatch hands back are those very objects (mapRecord makes LogRows, which it keeps),
 * so they are found by identity. The lookup is built on first use: most batches never need it.
 */
export function offsetReusedLetters(logs: readonly ScorableLog[], sources: readonly DecodedKafkaRecord[]): (row: LogRow) => NewDeadLetter {
  let indexOf: Map<NewLog, number> | null = null;
  return (row) => {
    indexOf ??= new Map(logs.map((log, i) => [log.log, i]));
    const i = indexOf.get(row);
    if (i === undefined) throw new Error(`offsetReusedLetters: no record of this batch was mapped to the log at ${row.topic}-${row.partition}@${row.offset}`);
    return deadLetterForDecoded(sources[i]!, (logs[i] as ScorableLog).coordinates, OFFSET_REUSED_REASON, detectorDeadLetters);
  };
}
