import { LABEL_HEADER } from '../../shared/log/anomaly-label.js';
import { serializeLogRecord } from '../../shared/log/parse-log-record.js';
import type { GeneratedLog } from './create-log-generator.js';

/** A kafkajs `Message` for topic `logs`: key = service, value = the JSON record, label in a header. */
export interface LogKafkaMessage {
  key: string;
  value: Buffer;
  headers: { [LABEL_HEADER]: string };
}

export function toKafkaMessage(generated: GeneratedLog): LogKafkaMessage {
  return { key: generated.key, value: serializeLogRecord(generated.record), headers: { [LABEL_HEADER]: generated.label } };
}
